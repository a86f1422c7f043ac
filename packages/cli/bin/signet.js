#!/usr/bin/env node
// A committed entry point: npm links workspace bins at install time, before `dist/` exists.
// dist/bundle/ is the command line in one file (scripts/bundle.mjs), loaded with its code cache (load.js).
import { loadBundle } from './load.js';

process.exitCode = await loadBundle().exports.main(process.argv.slice(2));
