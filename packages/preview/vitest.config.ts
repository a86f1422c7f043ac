import { defineConfig } from 'vitest/config';

// These tests run real servers, watchers and builds: generous limits, so a busy machine never fails
// a test for being slow (speed is measured by bench/reload-10k.mjs, not here).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
