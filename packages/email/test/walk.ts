import { readdirSync } from 'node:fs';
import path from 'node:path';

export function walk(dir: string): { files: string[] } {
  const files: string[] = [];
  for (const item of readdirSync(dir, { withFileTypes: true, recursive: true })) if (item.isFile()) files.push(path.join(item.parentPath, item.name));
  return { files };
}
