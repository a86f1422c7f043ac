// `npm test`: every package's tests through turbo (which builds what they need first), printed short.
// Turbo shows the whole output of a task only when it fails, so a failure comes first and is not
// buried under passing logs or replayed build logs; then one line per package (read from the log
// turbo keeps of each task) and the totals, with the tests that ran in a real browser
// (`*.browser.test.ts`) counted apart, so a run shows they ran. Without a terminal there are no
// colour codes. Extra arguments go to turbo (`npm test -- --filter=@signet/site`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const colour = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
if (!colour) {
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
}

const started = Date.now();
const turbo = path.join(root, 'node_modules', '.bin', 'turbo');
const args = ['run', 'test', '--concurrency=2', '--continue', '--output-logs=errors-only', '--summarize', ...(colour ? [] : ['--no-color']), ...process.argv.slice(2)];
const run = spawnSync(turbo, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
// Turbo's own lines (packages in scope, task counts, where the run summary went) and npm's echo of
// a failed script say nothing a reader needs here; what a failed task printed is kept.
const quiet = /^\s*(• |Tasks:|Cached:|Time:|Summary:|Failed:|$)|ERROR\s+run failed|finished with error, but continuing|cache miss, executing|: npm error /;
const shown = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('\n').filter((line) => !quiet.test(line.replace(/\x1b\[[0-9;]*m/g, '')));
if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n\n`);

const summary = latestRunSummary();
if (!summary) {
  console.error(`npm test: turbo did not run (exit code ${run.status}).`);
  process.exit(run.status || 1);
}
const rows = summary.tasks.filter((task) => task.task === 'test').sort((a, b) => a.package.localeCompare(b.package)).map(resultOf);
const failedBuilds = summary.tasks.filter((task) => task.task !== 'test' && task.execution?.exitCode);
const width = Math.max(...rows.map((row) => row.name.length));
const paint = (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
for (const row of rows) console.log(`${row.ok ? paint(32, '✓') : paint(31, '✗')} ${row.name.padEnd(width)}  ${row.text}`);
for (const task of failedBuilds) console.log(`${paint(31, '✗')} ${task.taskId} failed (its output is above)`);

const total = (key) => rows.reduce((sum, row) => sum + (row[key] ?? 0), 0);
const failed = rows.filter((row) => !row.ok).length + failedBuilds.length;
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const parts = [`${total('passed')} passed`, `${total('failed')} failed`, `${total('skipped')} skipped`];
console.log(`\nTotal: ${parts.join(', ')} in ${rows.length} packages (${total('browser')} in a real browser), ${seconds} s.`);
if (failed > 0 || run.status !== 0) {
  console.log(paint(31, `${failed || 'Some'} task(s) failed: their output is above.`));
  process.exit(run.status || 1);
}

/** The run summary turbo wrote for this run (`--summarize`): its tasks and their exit codes. */
function latestRunSummary() {
  const dir = path.join(root, '.turbo', 'runs');
  if (!existsSync(dir)) return undefined;
  const newest = readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name))
    .filter((file) => statSync(file).mtimeMs >= started).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return undefined;
  const summary = JSON.parse(readFileSync(newest, 'utf8'));
  rmSync(newest); // read once; left alone, one would pile up per run
  return summary;
}

/** One package's line: its counts from vitest's closing lines in the task's log. */
function resultOf(task) {
  const ok = task.execution?.exitCode === 0;
  const logFile = path.join(root, task.directory, '.turbo', `turbo-${task.task}.log`);
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, '') : '';
  const tests = /^\s*Tests\s+(.*)\((\d+)\)\s*$/m.exec(log);
  const files = /^\s*Test Files\s+.*\((\d+)\)\s*$/m.exec(log);
  if (!tests) return { name: task.package, ok, passed: 0, text: ok ? 'passed' : task.execution ? 'failed' : 'not run (a build it needs failed)' };
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(tests[1])?.[1] ?? 0);
  let browser = 0;
  for (const match of log.matchAll(/^\s*\S+ \S+\.browser\.test\.ts \((\d+) tests?/gm)) browser += Number(match[1]);
  const row = { name: task.package, ok, passed: count('passed'), failed: count('failed'), skipped: count('skipped') + count('todo'), browser };
  const counts = [`${row.passed} passed`, row.failed ? `${row.failed} failed` : '', row.skipped ? `${row.skipped} skipped` : ''].filter(Boolean);
  row.text = `${counts.join(', ')} in ${files?.[1] ?? '?'} files${browser ? ` (${browser} in a real browser)` : ''}`;
  return row;
}
