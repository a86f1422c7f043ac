import { SignetError } from '@signet/config';
import { encodePublicMultikey, encodeSecretMultikey, generateSeed, publicKeyFromSeed, toUtcSeconds } from '@signet/sign';
import { readRegistry, REGISTRY_FILE, writeRegistry, type KeyRegistry } from './registry.js';
import { decodeSecret, writeSecret } from './secrets.js';

export interface NewKey {
  id: string;
  publicKeyMultibase: string;
  /** The Multikey secret (`z3u2…`), for a CI secret. Show it once; it is also in `secretFile`. */
  secret: string;
  secretFile: string;
  registry: KeyRegistry;
}

/** `key-2026-11`, or `key-2026-11-2` when that id is taken. */
export function nextKeyId(registry: KeyRegistry | undefined, now: Date): string {
  const base = `key-${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const taken = new Set(registry?.keys.map((k) => k.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function addKey(root: string, registry: KeyRegistry | undefined, now: Date, seed = generateSeed()): NewKey {
  const id = nextKeyId(registry, now);
  const publicKeyMultibase = encodePublicMultikey(publicKeyFromSeed(seed));
  const secretFile = writeSecret(root, id, seed);
  const next: KeyRegistry = {
    current: id,
    keys: [...(registry?.keys ?? []), { id, publicKeyMultibase, created: toUtcSeconds(now) }],
  };
  writeRegistry(root, next);
  return { id, publicKeyMultibase, secret: encodeSecretMultikey(seed), secretFile, registry: next };
}

/** The site's first key. Refuses when the site already has keys: that is `rotateKey`. */
export function generateKey(root: string, now = new Date()): NewKey {
  const registry = readRegistry(root);
  if (registry && registry.keys.length > 0) {
    throw new SignetError(`${REGISTRY_FILE} already lists keys`, { file: REGISTRY_FILE, hint: 'Use `signet keys rotate` to add a new current key; old keys stay listed.' });
  }
  return addKey(root, registry, now);
}

/** A new current key; old ones stay listed so posts signed with them keep verifying. */
export function rotateKey(root: string, now = new Date()): NewKey {
  return addKey(root, readRegistry(root), now);
}

/**
 * Lists the key whose secret is `secret` (a Multikey `z3u2…`, such as a CI secret made elsewhere) and
 * makes it current: its secret is kept in `.signet/keys/` like a generated one. Refuses a key the
 * registry already lists, naming it.
 */
export function addKeyFromSecret(root: string, secret: string, where: string, now = new Date()): NewKey {
  const seed = decodeSecret(secret.trim(), where);
  const registry = readRegistry(root);
  const publicKeyMultibase = encodePublicMultikey(publicKeyFromSeed(seed));
  const listed = registry?.keys.find((k) => k.publicKeyMultibase === publicKeyMultibase);
  if (listed) {
    throw new SignetError(`the key in ${where} is already listed in ${REGISTRY_FILE} as "${listed.id}"${listed.revoked ? `, revoked on ${listed.revoked}` : ''}`, {
      file: REGISTRY_FILE,
      hint: listed.revoked ? 'A revoked key stays revoked: make a new key with `signet keys rotate`.' : 'Nothing to add.',
    });
  }
  return addKey(root, registry, now, seed);
}

export interface RevokeOptions {
  /** Replace the revocation date of a key that is already revoked. */
  force?: boolean;
}

/**
 * Marks a key revoked from `at` on: envelopes it signed at or after that moment stop verifying. A key
 * already revoked keeps its date unless `force`: a later date would let what it signed in between
 * verify again, so moving it is never done by accident.
 */
export function revokeKey(root: string, id: string, at = new Date(), options: RevokeOptions = {}): KeyRegistry {
  const registry = readRegistry(root);
  const key = registry?.keys.find((k) => k.id === id);
  if (!registry || !key) {
    const known = registry?.keys.map((k) => k.id).join(', ') || 'none';
    throw new SignetError(`no key "${id}" in ${REGISTRY_FILE}`, { file: REGISTRY_FILE, hint: `Keys: ${known}.` });
  }
  const revoked = toUtcSeconds(at);
  if (key.revoked && !options.force) {
    const later = Date.parse(revoked) > Date.parse(key.revoked);
    throw new SignetError(`key "${id}" is already revoked from ${key.revoked}; nothing changed`, {
      file: REGISTRY_FILE,
      hint: `To revoke it from ${revoked} instead, run the command again with --force${later ? ': envelopes it signed before then would verify again' : ''}.`,
    });
  }
  const next: KeyRegistry = {
    current: registry.current === id ? undefined : registry.current,
    keys: registry.keys.map((k) => (k.id === id ? { ...k, revoked } : k)),
  };
  writeRegistry(root, next);
  return next;
}
