/**
 * A small stand-in for the GitHub Actions runner: it reads action.yml with a real YAML parser and
 * runs the composite action's shell steps in order, the way the runner does (bash -eo pipefail, a
 * fresh GITHUB_OUTPUT per step, step outputs fed into later expressions). `uses:` steps (the
 * official actions) are recorded but not run, and neither is the install step: the repository
 * checkout is already installed and built.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string | boolean | number>;
  env?: Record<string, string>;
}

export interface ActionFile {
  name: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(): ActionFile {
  return parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as ActionFile;
}

export interface StepRun {
  step: ActionStep;
  /** 'ran', or why it did not: a `uses:` step, the install step, or an earlier failure. */
  state: 'ran' | 'uses' | 'install' | 'skipped';
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file this step wrote. */
  outputFile: string;
}

export interface ActionRun {
  steps: StepRun[];
  outputs: Record<string, string>;
  /** Values registered with `::add-mask::`. */
  masks: string[];
  /** Every line the steps printed except `::add-mask::` commands (which the runner consumes). */
  logLines: string[];
  /** Raw contents of every file the runner handed to the steps (GITHUB_OUTPUT, GITHUB_ENV). */
  runnerFiles: string[];
  failed: boolean;
}

/** Parses GITHUB_OUTPUT: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      if (end < 0) throw new Error(`unterminated ${block[1]} block in GITHUB_OUTPUT`);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    } else if (line.trim()) {
      throw new Error(`malformed GITHUB_OUTPUT line: ${line}`);
    }
  }
  return outputs;
}

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, Record<string, string>>;
}

/** The expressions the action's shell steps may use; anything else fails loudly. */
function expand(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    let match = /^inputs\.([\w-]+)$/.exec(expression);
    if (match) return ctx.inputs[match[1]!] ?? '';
    if (expression === 'github.action_path') return REPO;
    match = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (match) return ctx.steps[match[1]!]?.[match[2]!] ?? '';
    throw new Error(`the simulated runner does not evaluate \${{ ${expression} }}`);
  });
}

export interface RunOptions {
  inputs: Record<string, string>;
  workspace: string;
  /** Run only the steps with these ids (the others are skipped), e.g. to re-run verification. */
  only?: string[];
}

export function runAction(options: RunOptions): ActionRun {
  const action = readAction();
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = options.inputs[name] ?? spec.default;
    if (value === undefined && spec.required) throw new Error(`input ${name} is required`);
    inputs[name] = value ?? '';
  }
  const ctx: Context = { inputs, steps: {} };
  const temp = mkdtempSync(path.join(os.tmpdir(), 'signet-runner-'));
  const runnerTemp = path.join(temp, 'runner-temp');
  mkdirSync(runnerTemp);
  const envFile = path.join(temp, 'github-env');
  writeFileSync(envFile, '');
  const runs: StepRun[] = [];
  const runnerFiles: string[] = [];
  let failed = false;
  action.runs.steps.forEach((step, index) => {
    const base = { step, status: 0, stdout: '', stderr: '', outputs: {}, outputFile: '' };
    if (step.uses) return runs.push({ ...base, state: 'uses' });
    if (step.id === 'install') return runs.push({ ...base, state: 'install' });
    if (failed || (options.only && !options.only.includes(step.id ?? ''))) return runs.push({ ...base, state: 'skipped' });
    const outputPath = path.join(temp, `output-${index}`);
    writeFileSync(outputPath, '');
    const script = path.join(temp, `step-${index}.sh`);
    writeFileSync(script, expand(step.run ?? '', ctx));
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), ctx)]));
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: options.workspace,
      encoding: 'utf8',
      // A clean environment, as on a fresh runner: nothing from this machine's shell leaks in.
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: options.workspace, GITHUB_ACTION_PATH: REPO, GITHUB_OUTPUT: outputPath, GITHUB_ENV: envFile,
        RUNNER_TEMP: runnerTemp, ...stepEnv,
      },
    });
    const outputFile = readFileSync(outputPath, 'utf8');
    runnerFiles.push(outputFile);
    const outputs = parseOutputFile(outputFile);
    if (step.id) ctx.steps[step.id] = outputs;
    const status = result.status ?? -1;
    if (status !== 0) failed = true;
    runs.push({ step, state: 'ran', status, stdout: result.stdout, stderr: result.stderr, outputs, outputFile });
  });
  runnerFiles.push(readFileSync(envFile, 'utf8'));
  const lines = runs.flatMap((run) => `${run.stdout}\n${run.stderr}`.split('\n'));
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, expand(spec.value, ctx)]));
  return {
    steps: runs,
    outputs,
    masks: lines.filter((line) => line.startsWith('::add-mask::')).map((line) => line.slice('::add-mask::'.length)),
    logLines: lines.filter((line) => !line.startsWith('::add-mask::')),
    runnerFiles,
    failed,
  };
}

export { signet, type Run as Cli } from '../helpers/site.js';
