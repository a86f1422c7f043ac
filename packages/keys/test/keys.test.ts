import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isSignetError, type SignetError } from '@signet/config';
import { decodeSecretMultikey, encodePublicMultikey, encodeSecretMultikey, publicKeyFromSeed } from '@signet/sign';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEV_KEY_ID, ENV_VAR, REGISTRY_FILE, SECRETS_DIR, addKeyFromSecret, decodeSecret, generateKey, nextKeyId, readRegistry, readSecret,
  registryPath, resolveSigningKey, revokeKey, rotateKey, secretPath, writeRegistry, writeSecret, type KeyRegistry,
} from '../src/index.js';

const roots: string[] = [];
function site(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'signet-keys-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function errorOf(run: () => unknown): SignetError {
  try {
    run();
  } catch (error) {
    if (isSignetError(error)) return error;
    throw error;
  }
  throw new Error('expected a SignetError');
}

const NOV = new Date('2026-11-03T09:15:30.500Z');
const seedOf = (n: number) => new Uint8Array(32).fill(n);

describe('generate, rotate, revoke', () => {
  it('keeps a revoked key\'s date unless forced, saying what it is', () => {
    const root = site();
    const { id } = generateKey(root, NOV);
    revokeKey(root, id, new Date('2026-12-01T00:00:00Z'));
    const before = readFileSync(registryPath(root), 'utf8');
    for (const at of [new Date('2026-12-05T00:00:00Z'), new Date('2030-01-01T00:00:00Z')]) {
      const error = errorOf(() => revokeKey(root, id, at));
      expect(error.message).toBe(`key "${id}" is already revoked from 2026-12-01T00:00:00Z; nothing changed`);
      expect(error.hint).toContain('--force');
      expect(readFileSync(registryPath(root), 'utf8')).toBe(before);
    }
    expect(errorOf(() => revokeKey(root, id, new Date('2030-01-01T00:00:00Z'))).hint).toContain('would verify again');
    expect(revokeKey(root, id, new Date('2026-11-20T00:00:00Z'), { force: true }).keys[0]?.revoked).toBe('2026-11-20T00:00:00Z');
  });

  it('adds a key from its secret, makes it current and keeps the secret; refuses one already listed', () => {
    const root = site();
    const first = generateKey(root, NOV);
    const secret = encodeSecretMultikey(seedOf(7));
    const added = addKeyFromSecret(root, `${secret}\n`, ENV_VAR, NOV);
    expect(added.id).toBe('key-2026-11-2');
    expect(added.publicKeyMultibase).toBe(encodePublicMultikey(publicKeyFromSeed(seedOf(7))));
    expect(readRegistry(root)?.current).toBe(added.id);
    expect(readFileSync(secretPath(root, added.id), 'utf8').trim()).toBe(secret);
    expect(resolveSigningKey(root, { [ENV_VAR]: secret }).id).toBe(added.id);
    expect(resolveSigningKey(root, {}).id).toBe(added.id);
    expect(errorOf(() => addKeyFromSecret(root, first.secret, ENV_VAR)).message).toBe(`the key in ${ENV_VAR} is already listed in ${REGISTRY_FILE} as "${first.id}"`);
    expect(errorOf(() => addKeyFromSecret(root, 'z3u2nope', ENV_VAR)).message).toContain(`${ENV_VAR} does not hold a valid secret key`);
  });

  it('round-trips through the files on disk', () => {
    const root = site();
    const first = generateKey(root, NOV);
    expect(first.id).toBe('key-2026-11');
    expect(first.publicKeyMultibase).toMatch(/^z6Mk/);
    expect(first.secret).toMatch(/^z3u2/);
    expect(first.secretFile).toBe(path.join(root, '.signet', 'keys', 'key-2026-11.secret'));
    expect(readFileSync(first.secretFile, 'utf8')).toBe(`${first.secret}\n`);
    expect(encodePublicMultikey(publicKeyFromSeed(decodeSecretMultikey(first.secret)))).toBe(first.publicKeyMultibase);
    expect(readRegistry(root)).toEqual({
      current: 'key-2026-11',
      keys: [{ id: 'key-2026-11', publicKeyMultibase: first.publicKeyMultibase, created: '2026-11-03T09:15:30Z' }],
    });

    const second = rotateKey(root, NOV);
    expect(second.id).toBe('key-2026-11-2');
    expect(second.publicKeyMultibase).not.toBe(first.publicKeyMultibase);
    expect(readRegistry(root)?.current).toBe('key-2026-11-2');
    expect(readRegistry(root)?.keys.map((k) => k.id)).toEqual(['key-2026-11', 'key-2026-11-2']);

    const revoked = revokeKey(root, 'key-2026-11', new Date('2026-12-01T00:00:00Z'));
    expect(revoked.current).toBe('key-2026-11-2');
    expect(revoked.keys[0]?.revoked).toBe('2026-12-01T00:00:00Z');
    expect(readRegistry(root)).toEqual(revoked);

    const key = resolveSigningKey(root, {});
    expect(key).toMatchObject({ id: 'key-2026-11-2', source: 'file', publicKeyMultibase: second.publicKeyMultibase, notice: undefined });
    expect(key.registry).toEqual(revoked);
  });

  it('revoking the current key leaves no current key, and the build refuses to sign', () => {
    const root = site();
    generateKey(root, NOV);
    expect(revokeKey(root, 'key-2026-11', NOV).current).toBeUndefined();
    const error = errorOf(() => resolveSigningKey(root, {}));
    expect(error.message).toBe(`${REGISTRY_FILE} has no current key that can sign`);
    expect(error.hint).toContain('signet keys rotate');
  });

  it('generate refuses a site that already has keys; revoke refuses an unknown id', () => {
    const root = site();
    generateKey(root, NOV);
    expect(errorOf(() => generateKey(root, NOV)).hint).toContain('signet keys rotate');
    const error = errorOf(() => revokeKey(root, 'key-1999-01'));
    expect(error.message).toBe(`no key "key-1999-01" in ${REGISTRY_FILE}`);
    expect(error.hint).toBe('Keys: key-2026-11.');
    expect(errorOf(() => revokeKey(site(), 'x')).hint).toBe('Keys: none.');
  });

  it('nextKeyId counts up when the month\'s id is taken', () => {
    const registry = (ids: string[]): KeyRegistry => ({ current: undefined, keys: ids.map((id) => ({ id, publicKeyMultibase: '', created: '' })) });
    expect(nextKeyId(undefined, new Date('2026-01-31T23:59:59Z'))).toBe('key-2026-01');
    expect(nextKeyId(registry(['key-2026-01', 'key-2026-01-2']), new Date('2026-01-05T00:00:00Z'))).toBe('key-2026-01-3');
  });
});

describe('secret files', () => {
  it('are written with mode 0600 beside a .gitignore that ignores everything', () => {
    const root = site();
    const file = writeSecret(root, 'k', seedOf(7));
    expect(file).toBe(secretPath(root, 'k'));
    expect(file).toBe(path.join(root, SECRETS_DIR, 'k.secret'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(root, '.signet', '.gitignore'), 'utf8').split('\n')).toContain('*');
    expect(readSecret(root, 'k')).toEqual(seedOf(7));
    expect(readSecret(root, 'missing')).toBeUndefined();
  });

  it('a malformed key file names the file, says what is wrong, and never shows the secret', () => {
    const root = site();
    const valid = encodeSecretMultikey(seedOf(9));
    const broken = `${valid.slice(0, -3)}0OI`;
    mkdirSync(path.join(root, SECRETS_DIR), { recursive: true });
    writeFileSync(secretPath(root, 'k'), `${broken}\n`);
    const error = errorOf(() => readSecret(root, 'k'));
    expect(error.message).toMatch(/^\.signet\/keys\/k\.secret does not hold a valid secret key: /);
    expect(error.file).toBe('.signet/keys/k.secret');
    expect(error.hint).toContain('z3u2');
    expect(`${error.message} ${error.hint}`).not.toContain(broken);
    expect(`${error.message} ${error.hint}`).not.toContain(broken.slice(4, 20));
  });

  it('decodeSecret names where the text came from', () => {
    const error = errorOf(() => decodeSecret('z6MkNotASecret', ENV_VAR));
    expect(error.message.startsWith(`${ENV_VAR} does not hold a valid secret key`)).toBe(true);
    expect(error.file).toBeUndefined();
  });
});

describe('registry validation', () => {
  const write = (root: string, value: unknown) => writeFileSync(registryPath(root), typeof value === 'string' ? value : JSON.stringify(value));
  const good = encodePublicMultikey(publicKeyFromSeed(seedOf(1)));

  it.each([
    ['{ not json', 'the key registry is not valid JSON'],
    [{}, 'the key registry is malformed: it needs a `keys` list'],
    [{ current: 5, keys: [] }, 'the key registry is malformed: `current` must be a key id'],
    [{ keys: ['x'] }, 'the key registry is malformed: each key must be an object'],
    [{ keys: [{ id: 'a b', publicKeyMultibase: good, created: 'x' }] }, 'the key registry is malformed: key id "a b" must be letters, digits, ".", "_" or "-"'],
    [{ keys: [{ id: 'a', publicKeyMultibase: good, created: 'x' }, { id: 'a', publicKeyMultibase: good, created: 'x' }] }, 'the key registry is malformed: key id "a" is listed twice'],
    [{ keys: [{ id: 'a', created: 'x' }] }, 'the key registry is malformed: key "a" has no publicKeyMultibase'],
    [{ keys: [{ id: 'a', publicKeyMultibase: 'z6MkBroken', created: 'x' }] }, 'the key registry is malformed: key "a": '],
    [{ keys: [{ id: 'a', publicKeyMultibase: good }] }, 'the key registry is malformed: key "a" has no created date'],
    [{ keys: [{ id: 'a', publicKeyMultibase: good, created: 'x', revoked: 'someday' }] }, 'the key registry is malformed: key "a" has an invalid revoked date'],
    [{ current: 'b', keys: [{ id: 'a', publicKeyMultibase: good, created: 'x' }] }, 'the key registry is malformed: current key "b" is not in the list'],
  ])('refuses %j', (value, message) => {
    const root = site();
    write(root, value);
    const error = errorOf(() => readRegistry(root));
    expect(error.message.startsWith(message)).toBe(true);
    expect(error.file).toBe(REGISTRY_FILE);
    expect(error.hint).toMatch(/git/);
  });

  it('writes what it reads', () => {
    const root = site();
    const registry: KeyRegistry = { current: 'a', keys: [{ id: 'a', publicKeyMultibase: good, created: '2026-01-01T00:00:00Z', revoked: '2026-02-01T00:00:00Z' }] };
    writeRegistry(root, registry);
    expect(readRegistry(root)).toEqual(registry);
    expect(readFileSync(registryPath(root), 'utf8').endsWith('}\n')).toBe(true);
    expect(readRegistry(site())).toBeUndefined();
  });
});

describe('resolveSigningKey', () => {
  it('prefers SIGNET_SIGNING_KEY over the key file', () => {
    const root = site();
    const first = generateKey(root, NOV);
    const second = rotateKey(root, NOV);
    const key = resolveSigningKey(root, { [ENV_VAR]: `  ${first.secret}\n` });
    expect(key).toMatchObject({ id: first.id, source: 'environment', publicKeyMultibase: first.publicKeyMultibase });
    expect(key.seed).toEqual(decodeSecretMultikey(first.secret));
    expect(resolveSigningKey(root, {}).id).toBe(second.id);
    expect(resolveSigningKey(root, { [ENV_VAR]: '' }).source).toBe('file');
  });

  it('a malformed SIGNET_SIGNING_KEY is named and never echoed', () => {
    const root = site();
    generateKey(root, NOV);
    const bad = encodeSecretMultikey(seedOf(3)).slice(0, 30);
    const error = errorOf(() => resolveSigningKey(root, { [ENV_VAR]: bad }));
    expect(error.message.startsWith(`${ENV_VAR} does not hold a valid secret key: `)).toBe(true);
    expect(`${error.message} ${error.hint}`).not.toContain(bad);
  });

  it('a malformed key file is named and never echoed', () => {
    const root = site();
    const { secretFile, secret } = generateKey(root, NOV);
    const bad = `${secret}x`;
    writeFileSync(secretFile, bad);
    const error = errorOf(() => resolveSigningKey(root, {}));
    expect(error.message).toContain('.signet/keys/key-2026-11.secret does not hold a valid secret key');
    expect(`${error.message} ${error.hint}`).not.toContain(secret);
  });

  it('refuses a secret the registry does not list, or lists as revoked', () => {
    const root = site();
    const first = generateKey(root, NOV);
    rotateKey(root, NOV);
    const stranger = encodeSecretMultikey(seedOf(42));
    const unknown = errorOf(() => resolveSigningKey(root, { [ENV_VAR]: stranger }));
    expect(unknown.message).toBe(`the key in ${ENV_VAR} is not listed in ${REGISTRY_FILE}`);
    expect(unknown.message).not.toContain(stranger);
    expect(unknown.hint).toContain('signet keys add');
    expect(unknown.hint).not.toContain('rotate');

    revokeKey(root, first.id, new Date('2026-12-01T00:00:00Z'));
    const revoked = errorOf(() => resolveSigningKey(root, { [ENV_VAR]: first.secret }));
    expect(revoked.message).toBe(`the key in ${ENV_VAR} ("key-2026-11") was revoked on 2026-12-01T00:00:00Z`);
    expect(revoked.hint).toContain('signet keys rotate');
  });

  it('refuses a key file that does not match the registry, or is missing', () => {
    const root = site();
    const { secretFile } = generateKey(root, NOV);
    writeFileSync(secretFile, encodeSecretMultikey(seedOf(5)));
    expect(errorOf(() => resolveSigningKey(root, {})).message).toBe(`the secret in ${path.join('.signet', 'keys', 'key-2026-11.secret')} does not belong to key "key-2026-11" in ${REGISTRY_FILE}`);
    rmSync(secretFile);
    const missing = errorOf(() => resolveSigningKey(root, {}));
    expect(missing.message).toContain('no secret key for "key-2026-11"');
    expect(missing.hint).toContain(ENV_VAR);
  });

  it('refuses SIGNET_SIGNING_KEY when the site has no registry', () => {
    const root = site();
    const error = errorOf(() => resolveSigningKey(root, { [ENV_VAR]: encodeSecretMultikey(seedOf(1)) }));
    expect(error.message).toBe(`${ENV_VAR} is set but the site has no ${REGISTRY_FILE}`);
    expect(existsSync(path.join(root, '.signet'))).toBe(false);
  });

  it('with no registry, makes a development key once and reuses it', () => {
    const root = site();
    const made = resolveSigningKey(root, {});
    expect(made.id).toBe(DEV_KEY_ID);
    expect(made.source).toBe('development');
    expect(made.notice).toMatch(/^Made a development signing key in /);
    expect(made.registry).toEqual({ current: DEV_KEY_ID, keys: [{ id: DEV_KEY_ID, publicKeyMultibase: made.publicKeyMultibase, created: '1970-01-01T00:00:00Z' }] });
    expect(statSync(secretPath(root, DEV_KEY_ID)).mode & 0o777).toBe(0o600);
    expect(existsSync(registryPath(root))).toBe(false);

    const again = resolveSigningKey(root, {});
    expect(again.seed).toEqual(made.seed);
    expect(again.publicKeyMultibase).toBe(made.publicKeyMultibase);
    expect(again.notice).toMatch(/^Signed with the development key in /);
    for (const notice of [made.notice, again.notice]) expect(notice).not.toContain(encodeSecretMultikey(made.seed));
  });
});

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
    'DEV_KEY_ID', 'ENV_VAR', 'REGISTRY_FILE', 'SECRETS_DIR', 'addKeyFromSecret', 'decodeSecret', 'generateKey', 'nextKeyId', 'readRegistry',
    'readSecret', 'registryPath', 'resolveSigningKey', 'revokeKey', 'rotateKey', 'secretPath', 'writeFileAtomic',
    'writeRegistry', 'writeSecret',
  ]);
});

it('writeFileAtomic makes the folder, sets the mode and leaves no temporary file', async () => {
  const { readdirSync } = await import('node:fs');
  const { writeFileAtomic } = await import('../src/index.js');
  const root = site();
  const file = path.join(root, 'a', 'b', 'x.txt');
  writeFileAtomic(file, 'one', 0o600);
  writeFileAtomic(file, 'two', 0o600);
  expect(readFileSync(file, 'utf8')).toBe('two');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readdirSync(path.dirname(file))).toEqual(['x.txt']);
});
