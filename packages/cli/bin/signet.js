#!/usr/bin/env node
// A committed entry point: npm links workspace bins at install time, before `dist/` exists.
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2));
