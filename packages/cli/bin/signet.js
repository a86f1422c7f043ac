#!/usr/bin/env node
// A committed entry point: npm links workspace bins at install time, before `dist/` exists.
// dist/bundle/ is the command line in one file (scripts/bundle.mjs): it starts several times faster.
import { main } from '../dist/bundle/index.js';

process.exitCode = await main(process.argv.slice(2));
