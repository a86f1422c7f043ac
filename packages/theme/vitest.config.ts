import { defineConfig } from 'vitest/config';

// The compiled-layout tests render every layout over thousands of random data both ways: generous
// limits, so a busy machine never fails a test for being slow (speed is measured by bench/, not here).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
