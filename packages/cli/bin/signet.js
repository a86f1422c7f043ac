#!/usr/bin/env node
// A committed entry point: npm links workspace bins at install time, before `dist/` exists.
// dist/bundle/ is the command line in one file (scripts/bundle.mjs), loaded with its code cache (load.js).
import { loadBundle } from './load.js';

const code = await loadBundle().exports.main(process.argv.slice(2));
// The command is done (one that serves returns once stopped). Left to end by itself, Node then frees
// every heap and stops every worker thread, which took a cold 4,000-post build ~60 ms after its last
// file; exiting skips that. Not while output is still on its way (a pipe is asynchronous on macOS):
// then the process ends by itself once it is written.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
process.exitCode = code;
