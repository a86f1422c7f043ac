import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The `signet` that users run: the binary npm installed, which loads the built bundle. */
export const SIGNET = path.join(REPO, 'node_modules/.bin/signet');

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `signet` command line in `cwd`, as a user would; `input` is piped to it (default: nothing). */
export function signet(args: string[], cwd: string, env: Record<string, string | undefined> = {}, input = ''): Run {
  const childEnv: Record<string, string | undefined> = { ...process.env, SIGNET_SIGNING_KEY: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const result = spawnSync(process.execPath, [SIGNET, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv, encoding: 'utf8', input });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A throwaway copy of a site folder (without dist/ and .signet/), so tests never touch the repo's. */
export function copySite(source: string): string {
  const target = mkdtempSync(path.join(os.tmpdir(), 'signet-site-'));
  cpSync(source, target, {
    recursive: true,
    filter: (file) => !/(^|[\\/])(dist|\.signet|node_modules)([\\/]|$)/.test(path.relative(source, file)),
  });
  return target;
}

/** Makes a site from relative paths and their contents. */
export function makeSite(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signet-site-'));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, contents] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

/** Every file under `dir` as relative path → bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) visit(full);
      else out.set(path.relative(dir, full), readFileSync(full));
    }
  };
  visit(dir);
  return out;
}

export const MINIMAL_CONFIG = 'title: Test site\nurl: https://test.example/\nauthor: Tester\n';

/** The sites whose output the end-to-end checks cover: this repository's own and every example. */
export const SITES = ['.', 'examples/blog', 'examples/minimal', 'examples/twitter-exit'];

export interface BuiltSite {
  site: string;
  root: string;
  run: Run;
  /** dist/ as relative path → bytes; empty when the build failed. */
  files: Map<string, Buffer>;
}

/** Builds a throwaway copy of each of `SITES` with the installed `signet build`. */
export function buildSites(): BuiltSite[] {
  return SITES.map((site) => {
    const root = copySite(path.join(REPO, site));
    const run = signet(['build'], root);
    return { site, root, run, files: run.status === 0 ? readTree(path.join(root, 'dist')) : new Map<string, Buffer>() };
  });
}
