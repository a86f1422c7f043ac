import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:interop`: only the checks with Python's feedparser and PyNaCl (see interop/README.md).
export default defineConfig({ test: { ...base.test, include: ['interop/**/*.test.ts'], exclude: ['node_modules/**'] } });
