import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';

/** Which symbolic links a walk of the content or static folder follows. */
export interface LinkRules {
  /** The site's folder: links that stay inside it are followed. */
  root: string;
  /** Also follow links that point outside the site (the config's `dirs.followLinksOutside`). */
  outside?: boolean;
}

/** Where a followed link leads: a file to publish or a folder to walk. */
export type LinkTarget = { kind: 'file' | 'folder'; real: string } | undefined;

const KEYS = '.signet';

function isWithin(dir: string, file: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function realOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return undefined;
    throw error;
  }
}

function shown(rules: LinkRules, file: string): string {
  return path.relative(rules.root, file).split(path.sep).join('/') || '.';
}

/**
 * The real path of a folder a walk starts from, after checking that it is not, and does not lead
 * into, `.signet/` (the secret keys) and, when it is itself a link, that it stays inside the site;
 * undefined when the folder does not exist.
 */
export function walkRoot(dir: string, rules: LinkRules): string | undefined {
  const real = realOrUndefined(dir);
  if (real === undefined) return undefined;
  const root = realOrUndefined(rules.root) ?? rules.root;
  if (isWithin(path.join(root, KEYS), real)) {
    throw new SignetError(`${shown(rules, dir)}/ leads into .signet/, which holds the secret signing keys: it is never published`, {
      file: shown(rules, dir),
      hint: 'Keep the keys in .signet/keys and publish files from a folder of their own.',
    });
  }
  if (real !== path.resolve(dir) && !isWithin(root, real) && !rules.outside && isWithin(path.resolve(rules.root), path.resolve(dir))) {
    throw outsideError(rules, dir);
  }
  return real;
}

function outsideError(rules: LinkRules, link: string): SignetError {
  return new SignetError(`${shown(rules, link)} is a symbolic link to somewhere outside the site's folder, which Signet does not follow`, {
    file: shown(rules, link),
    hint: 'Copy what it points to into the site, or set `dirs.followLinksOutside: true` in signet.config.yaml to publish what such links point to.',
  });
}

/**
 * What a symbolic link found by a walk leads to, or undefined to skip it (it points nowhere).
 * Throws when it leads into `.signet/` (anywhere, whatever the config says), to a hidden file or
 * folder of the site (`.git`, say: the walk never publishes those), outside the site unless
 * `rules.outside`, or to a folder the walk is already in (`ancestors`, real paths), which would never end.
 */
export function followLink(link: string, walked: string, ancestors: readonly string[], rules: LinkRules): LinkTarget {
  const real = realOrUndefined(link);
  if (real === undefined) return undefined;
  const root = realOrUndefined(rules.root) ?? rules.root;
  if (real.split(path.sep).some((part) => part.toLowerCase() === KEYS)) {
    throw new SignetError(`${shown(rules, link)} is a symbolic link into .signet/, which holds the secret signing keys: it is never published`, {
      file: shown(rules, link),
      hint: 'Remove the link. Keys stay in .signet/keys; only their public halves are published, in /.well-known/did.json.',
    });
  }
  const base = isWithin(walked, real) ? walked : isWithin(root, real) ? root : undefined;
  if (base === undefined && !rules.outside) throw outsideError(rules, link);
  if (base !== undefined && path.relative(base, real).split(path.sep).some((part) => part.startsWith('.'))) {
    throw new SignetError(`${shown(rules, link)} is a symbolic link to a hidden file or folder, which Signet never publishes`, {
      file: shown(rules, link),
      hint: 'Remove the link, or link to a file or folder whose name does not start with a dot.',
    });
  }
  if (!statSync(real).isDirectory()) return { kind: 'file', real };
  if (ancestors.some((dir) => isWithin(real, dir))) {
    throw new SignetError(`${shown(rules, link)} is a symbolic link to a folder that holds it: following it would never end`, {
      file: shown(rules, link),
      hint: 'Remove the link, or point it at a folder beside this one.',
    });
  }
  return { kind: 'folder', real };
}
