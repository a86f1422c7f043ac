import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';
import { decodeSecretMultikey, encodeSecretMultikey } from '@signet/sign';
import { writeFileAtomic } from './fs.js';

/** Secret keys live here, inside the site folder but outside `content/` and `dist/`. */
export const SECRETS_DIR = path.join('.signet', 'keys');

export function secretPath(root: string, id: string): string {
  return path.join(root, SECRETS_DIR, `${id}.secret`);
}

/**
 * Writes a secret key file with mode 0600. The `.signet/` folder gets its own `.gitignore` (`*`), so
 * the secret stays out of git even in a repository whose `.gitignore` never mentions it, and the
 * user's own `.gitignore` is never edited.
 */
export function writeSecret(root: string, id: string, seed: Uint8Array): string {
  const file = secretPath(root, id);
  writeFileAtomic(path.join(root, '.signet', '.gitignore'), '# Secret keys and caches: never commit this folder.\n*\n');
  writeFileAtomic(file, `${encodeSecretMultikey(seed)}\n`, 0o600);
  return file;
}

/** Reads a secret key file. Errors say which file and what is wrong, never the secret itself. */
export function readSecret(root: string, id: string): Uint8Array | undefined {
  const file = secretPath(root, id);
  if (!existsSync(file)) return undefined;
  const shown = path.relative(root, file);
  if (!statSync(file).isFile()) throw new SignetError('the secret key path is not a file', { file: shown });
  return decodeSecret(readFileSync(file, 'utf8').trim(), shown);
}

export function decodeSecret(text: string, where: string): Uint8Array {
  try {
    return decodeSecretMultikey(text);
  } catch (error) {
    throw new SignetError(`${where} does not hold a valid secret key: ${(error as Error).message}`, {
      file: where.includes('/') ? where : undefined,
      hint: 'It must be a Multikey secret starting with "z3u2", as `signet keys generate` writes it.',
    });
  }
}
