import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';
import { REPO } from './site.js';

/**
 * The one way the tests start a browser: the headless Chromium that ships inside the
 * `@sparticuz/chromium` npm package (no system browser, no download), driven by `playwright-core`.
 * Playwright gives every launch a fresh, throwaway user-data folder.
 */
export async function launchBrowser(): Promise<Browser> {
  const args = [...chromium.args.filter((flag) => !UNLIKE_A_READER.has(flag)), ...FLAGS];
  return playwright.launch({ executablePath: await chromiumPath(), args });
}

/**
 * The package's flags suit a serverless function; these three would make the test browser unlike a
 * reader's: one process (closing a page ends the whole browser), and no same-origin or mixed-content
 * rules (a page script could then read what a reader's browser refuses it).
 */
const UNLIKE_A_READER = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

/** Nothing in the browser talks to any host but the test's own servers on 127.0.0.1. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const PACKAGE = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '../..');
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The package unpacks its compressed browser into the system's temporary folder, which every user of
 * the machine shares, and an unpacking that is under way already looks finished to a second caller.
 * So it unpacks here into a folder of this checkout (pointing the temporary folder there while the
 * call starts: the package picks its target before its first await), and that folder is moved into
 * place whole: a reader sees a complete browser of this version or none.
 */
async function chromiumPath(): Promise<string> {
  const dir = path.join(REPO, 'node_modules', '.cache', `sparticuz-chromium-${VERSION}`);
  const binary = path.join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  let unpacking: Promise<string>;
  try {
    unpacking = chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  const unpacked = await unpacking;
  if (unpacked !== path.join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, not ${staging}`);
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another test process finished first: use its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw error;
  }
  return binary;
}
