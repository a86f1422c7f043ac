import { defineConfig } from 'vitest/config';

// Encoding AVIF is slow on a busy machine: generous limits, so no test fails for being slow.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
