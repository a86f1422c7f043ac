import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAction, REPO, signet, type ActionFile, type ActionStep } from './runner.js';

const action: ActionFile = readAction();
const steps = action.runs.steps;
const byId = (id: string): ActionStep => steps.find((step) => step.id === id)!;

describe('action.yml', () => {
  it('is a composite action with the documented inputs and defaults', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['base-url', 'deploy', 'dkim-private-key', 'email', 'fetch-network', 'node-version', 'signing-key', 'site-folder', 'smtp-url', 'subscribers', 'unsubscribe-secret', 'webmention', 'webmention-token']);
    expect(action.inputs.webmention!.default).toBe('false');
    expect(action.inputs['fetch-network']!.default).toBe('false');
    expect(action.inputs.email!.default).toBe('false');
    expect(action.inputs['site-folder']!.default).toBe('.');
    expect(action.inputs['signing-key']!.required).toBe(true);
    expect(action.inputs['signing-key']!.default).toBeUndefined();
    expect(action.inputs['base-url']!.default).toBe('');
    expect(action.inputs['node-version']!.default).toBe('20');
    expect(action.inputs.deploy!.default).toBe('true');
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
  });

  it('exposes the site URL and the number of signed posts from the verify step', () => {
    expect(action.outputs['site-url']!.value).toBe('${{ steps.verify.outputs.site-url }}');
    expect(action.outputs['signed-posts']!.value).toBe('${{ steps.verify.outputs.signed-posts }}');
  });

  it('sets up Node, installs, fetches when asked, builds, verifies, then uploads and deploys, then sends new posts by email and Webmentions when asked', () => {
    const order = steps.map((step) => step.uses?.replace(/@.*/, '') ?? step.id);
    expect(order).toEqual(['actions/setup-node', 'install', 'actions/cache', 'fetch', 'actions/cache/restore', 'build', 'verify', 'actions/upload-pages-artifact', 'actions/deploy-pages', 'actions/cache/restore', 'email', 'actions/cache/save', 'webmention', 'actions/cache/save']);
    expect(steps[0]!.with?.['node-version']).toBe('${{ inputs.node-version }}');
  });

  it('installs inside its own folder, so the site needs no package.json', () => {
    expect(byId('install').run).toContain('$GITHUB_ACTION_PATH/action/install.sh');
    const script = readFileSync(path.join(REPO, 'action/install.sh'), 'utf8');
    expect(script).toMatch(/cd "\$GITHUB_ACTION_PATH"/);
    expect(script).toMatch(/^npm ci\b/m);
    expect(script).toMatch(/^npm run build:packages$/m);
  });

  it('runs every shell step from a script in action/, with bash', () => {
    for (const step of steps.filter((s) => s.run)) {
      expect(step.shell, step.id).toBe('bash');
      const script = /\$GITHUB_ACTION_PATH\/(action\/[\w.-]+\.sh)/.exec(step.run!)?.[1];
      expect(script, step.id).toBeDefined();
      expect(existsSync(path.join(REPO, script!)), script).toBe(true);
    }
  });

  it('hands the signing key to the build step only, through the environment', () => {
    for (const step of steps) {
      // An input pasted into script text could inject commands and would show the key in the log.
      expect(step.run ?? '', step.id).not.toContain('${{');
      const mentions = JSON.stringify(step).includes('inputs.signing-key');
      expect(mentions, step.name).toBe(step.id === 'build');
    }
    expect(byId('build').env?.SIGNET_SIGNING_KEY).toBe('${{ inputs.signing-key }}');
    expect(readFileSync(path.join(REPO, 'action/build.sh'), 'utf8')).toContain("'::add-mask::%s\\n'");
  });

  it('caches what `signet fetch` stored between runs, only when fetching', () => {
    const cache = steps.find((step) => step.uses?.startsWith('actions/cache@'))!;
    expect(cache.if).toBe("inputs.fetch-network == 'true'");
    expect(cache.with?.path).toBe('${{ inputs.site-folder }}/.signet/network');
    expect(cache.with?.['restore-keys']).toBe('signet-network-');
    expect(byId('fetch').env).toEqual({ SIGNET_FETCH: '${{ inputs.fetch-network }}', SIGNET_SITE: '${{ inputs.site-folder }}', SIGNET_WEBMENTION_TOKEN: '${{ inputs.webmention-token }}' });
    expect(readFileSync(path.join(REPO, 'action/fetch.sh'), 'utf8')).toContain("'::add-mask::%s\\n' \"$SIGNET_WEBMENTION_TOKEN\"");
  });

  it('deploys the built folder, hidden .well-known included, only when asked', () => {
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@')) as ActionStep;
    const deploy = steps.find((step) => step.uses?.startsWith('actions/deploy-pages@')) as ActionStep;
    expect(upload.with?.path).toBe('${{ steps.build.outputs.dist }}');
    expect(upload.with?.['include-hidden-files']).toBe(true);
    expect(upload.if).toBe("inputs.deploy == 'true'");
    expect(deploy.if).toBe("inputs.deploy == 'true'");
  });
});

describe('the email step', () => {
  it('runs only when asked, gets the secrets through the environment, and keeps the ledger in the cache even when the send fails', () => {
    const at = steps.indexOf(byId('email'));
    const [restore, send, save] = steps.slice(at - 1, at + 2) as [ActionStep, ActionStep, ActionStep];
    for (const step of [restore, send]) expect(step.if).toBe("inputs.email == 'true'");
    expect(save.if).toBe("always() && inputs.email == 'true'");
    expect(restore.with?.path).toBe(save.with?.path);
    expect(restore.with?.key).toBe(save.with?.key);
    expect(String(restore.with?.key)).toContain('${{ github.run_id }}');
    expect(restore.with?.['restore-keys']).toBe('signet-email-ledger-');
    expect(send.env?.SIGNET_SMTP_URL).toBe('${{ inputs.smtp-url }}');
    expect(send.env?.SIGNET_EMAIL).toBe('${{ inputs.email }}');
    expect(restore.with?.path).toBe('${{ inputs.site-folder }}/.signet/email/ledger.jsonl');
    const script = readFileSync(path.join(REPO, 'action/email.sh'), 'utf8');
    expect(script).toContain("'::add-mask::%s\\n'");
    expect(script).toContain('trap finish EXIT');
    expect(script).toMatch(/^if \[ "\$\{SIGNET_EMAIL:-false\}" != "true" \]; then exit 0; fi$/m);
    expect(script).toMatch(/email send --root "\$root"$/m);
  });
});

describe('the Webmention step', () => {
  it('restores the ledger before the build (tombstones), sends after the deploy, and saves the ledger even when the send fails', () => {
    const send = byId('webmention');
    const restore = steps[steps.indexOf(byId('build')) - 1]!;
    const save = steps[steps.indexOf(send) + 1]!;
    expect(steps.indexOf(send)).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith('actions/deploy-pages@')));
    for (const step of [restore, send]) expect(step.if).toBe("inputs.webmention == 'true'");
    expect(save.if).toBe("always() && inputs.webmention == 'true'");
    expect(restore.uses).toMatch(/^actions\/cache\/restore@/);
    expect(save.uses).toMatch(/^actions\/cache\/save@/);
    expect(restore.with?.path).toBe('${{ inputs.site-folder }}/.signet/webmention/ledger.json');
    expect(save.with?.path).toBe(restore.with?.path);
    expect(save.with?.key).toBe(restore.with?.key);
    expect(restore.with?.['restore-keys']).toBe('signet-webmention-ledger-');
    expect(send.env?.SIGNET_WEBMENTION).toBe('${{ inputs.webmention }}');
    const script = readFileSync(path.join(REPO, 'action/webmention.sh'), 'utf8');
    expect(script).toMatch(/^if \[ "\$\{SIGNET_WEBMENTION:-false\}" != "true" \]; then exit 0; fi$/m);
    expect(script).toMatch(/webmention send --root "\$root" --out "\$out"$/m);
  });
});

describe('the workflow `signet init` writes', () => {
  let workflow: {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, { 'runs-on': string; environment: { name: string; url: string }; steps: ActionStep[] }>;
  };

  beforeAll(() => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'signet-init-'));
    expect(signet(['init', 'site', '--yes'], folder).status).toBe(0);
    workflow = parse(readFileSync(path.join(folder, 'site/.github/workflows/publish.yml'), 'utf8')) as typeof workflow;
  });

  it('publishes on push to main and on demand, with the Pages permissions', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(workflow.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
  });

  it('checks out the site, then runs the Action with the repository secret', () => {
    const job = Object.values(workflow.jobs)[0]!;
    expect(job.environment.name).toBe('github-pages');
    expect(job.steps.map((step) => step.uses?.replace(/@.*/, ''))).toEqual(['actions/checkout', expect.stringMatching(/^[\w-]+\/signet$/)]);
    const signetStep = job.steps[1]!;
    expect(signetStep.with).toEqual({ 'signing-key': '${{ secrets.SIGNET_SIGNING_KEY }}' });
    expect(job.environment.url).toBe(`\${{ steps.${signetStep.id}.outputs.site-url }}`);
    for (const name of Object.keys(signetStep.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
  });
});
