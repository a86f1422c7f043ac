// The floor: read every input and write every output file, rendering nothing. No generator can
// build the corpus faster than this on the same machine.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [input, output] = process.argv.slice(2);
rmSync(output, { recursive: true, force: true });
for (const name of readdirSync(input).sort()) {
  const source = readFileSync(path.join(input, name), 'utf8');
  const dir = path.join(output, 'posts', name.replace(/\.md$/, ''));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), source);
}
