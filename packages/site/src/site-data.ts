import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parseDataFile, SignetError } from '@signet/config';

/** The folder of a site's data files, beside its config, as in Hugo. */
export const DATA_DIR = 'data';

const DATA_FILE = /\.(ya?ml|json)$/i;

/**
 * `data/` as layouts see it (`site.data`): each YAML or JSON file under its name without the
 * extension (`data/links.yaml` → `site.data.links`), each folder as a group of its files. Hidden files
 * are skipped. A symbolic link is followed only while it stays inside the site and out of `.signet/`
 * (the secret keys): data is published by whatever layout prints it. Undefined without the folder,
 * which costs one check.
 */
export function readSiteData(root: string): Record<string, unknown> | undefined {
  const dir = path.join(root, DATA_DIR);
  if (!existsSync(dir)) return undefined;
  return readFolder(root, dir);
}

function readFolder(root: string, dir: string): Record<string, unknown> {
  const data: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const file = path.join(dir, name);
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (lstatSync(file).isSymbolicLink()) checkLink(root, file, relative);
    const stats = lstatSync(realpathSync(file));
    if (stats.isDirectory()) {
      data[name] = readFolder(root, file);
    } else if (DATA_FILE.test(name)) {
      data[name.replace(DATA_FILE, '')] = parseDataFile(readFileSync(file, 'utf8'), relative);
    }
  }
  return data;
}

function checkLink(root: string, file: string, relative: string): void {
  const target = path.relative(realpathSync(root), realpathSync(file));
  const parts = target.split(path.sep);
  if (target.startsWith('..') || path.isAbsolute(target) || parts[0]?.toLowerCase() === '.signet' || parts.some((part) => part.startsWith('.'))) {
    throw new SignetError(`the data file ${relative} is a symbolic link to ${target.startsWith('..') || path.isAbsolute(target) ? 'a file outside the site' : 'a hidden file or .signet/'}`, {
      file: relative,
      hint: 'Copy the data into the data/ folder instead: whatever a layout prints from it is published, and .signet/ holds the secret keys.',
    });
  }
}
