// Runs one command and reports its wall time and peak resident memory (GNU time's %M, which covers
// the process and the children it waited for, worker threads included).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';

/** Installs a Debian package when the command is missing; the bench needs `hugo` and GNU `time`. */
export function ensureTool(file, aptPackage) {
  if (existsSync(file)) return;
  console.error(`${file} is missing: installing Debian's ${aptPackage}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', aptPackage], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function run(cmd, args, { cwd, env } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-f', '\n@@peak %M', cmd, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const match = /@@peak (\d+)\s*$/.exec(result.stderr ?? '');
  if (result.status !== 0 || !match) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ms, peakMiB: Number(match[1]) / 1024, stdout: result.stdout };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
