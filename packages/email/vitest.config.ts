import { defineConfig } from 'vitest/config';

// These tests run real SMTP servers and send real messages: generous limits, so a busy machine never
// fails a test for being slow.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
