import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';
import { decodePublicMultikey, type KeyEntry } from '@signet/sign';
import { writeFileAtomic } from './fs.js';

/** The public key registry: which keys exist, which one signs now, which are revoked. Committed with the site. */
export interface KeyRegistry {
  current: string | undefined;
  keys: RegistryKey[];
}

export interface RegistryKey extends KeyEntry {
  /** When the key was made (UTC, whole seconds). */
  created: string;
}

export const REGISTRY_FILE = 'signet.keys.json';

export function registryPath(root: string): string {
  return path.join(root, REGISTRY_FILE);
}

/** Reads the registry, or undefined when the site has none yet. */
export function readRegistry(root: string): KeyRegistry | undefined {
  const file = registryPath(root);
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SignetError(`the key registry is not valid JSON: ${(error as Error).message}`, { file: REGISTRY_FILE, hint: 'Restore it from git: it only holds public keys.' });
  }
  return checkRegistry(raw);
}

function checkRegistry(raw: unknown): KeyRegistry {
  const bad = (message: string): never => {
    throw new SignetError(`the key registry is malformed: ${message}`, { file: REGISTRY_FILE, hint: 'Restore it from git, or fix it with `signet keys` commands.' });
  };
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as KeyRegistry).keys)) bad('it needs a `keys` list');
  const { current, keys } = raw as { current?: unknown; keys: unknown[] };
  const currentId = current === undefined || current === null ? undefined : typeof current === 'string' ? current : bad('`current` must be a key id');
  const seen = new Set<string>();
  const checked = keys.map((key) => {
    if (typeof key !== 'object' || key === null) return bad('each key must be an object');
    const { id, publicKeyMultibase, created, revoked } = key as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id)) return bad(`key id ${JSON.stringify(id)} must be letters, digits, ".", "_" or "-"`);
    if (seen.has(id)) bad(`key id "${id}" is listed twice`);
    seen.add(id);
    if (typeof publicKeyMultibase !== 'string') return bad(`key "${id}" has no publicKeyMultibase`);
    try {
      decodePublicMultikey(publicKeyMultibase);
    } catch (error) {
      bad(`key "${id}": ${(error as Error).message}`);
    }
    if (typeof created !== 'string') return bad(`key "${id}" has no created date`);
    if (revoked !== undefined && (typeof revoked !== 'string' || Number.isNaN(Date.parse(revoked)))) bad(`key "${id}" has an invalid revoked date`);
    const entry: RegistryKey = { id, publicKeyMultibase, created };
    if (typeof revoked === 'string') entry.revoked = revoked;
    return entry;
  });
  if (currentId !== undefined && !seen.has(currentId)) bad(`current key "${currentId}" is not in the list`);
  return { current: currentId, keys: checked };
}

export function writeRegistry(root: string, registry: KeyRegistry): void {
  writeFileAtomic(registryPath(root), `${JSON.stringify(registry, null, 2)}\n`);
}
