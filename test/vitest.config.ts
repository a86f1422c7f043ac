import { configDefaults, defineConfig } from 'vitest/config';

// End-to-end tests run real builds, servers and a browser: generous limits, so a busy 2-core CI
// machine never fails a test for being slow (speed is measured by `npm run bench`, not here).
// interop/ is the extra suite that needs Python (vitest.interop.config.ts); `npm test` leaves it out.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    exclude: [...configDefaults.exclude, 'interop/**'],
  },
});
