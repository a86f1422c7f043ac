// Bundles the browser badge (src/browser/badge.ts) with its dependencies into one self-contained
// ES module and stores it as a string export, so badgeScript() needs no file access. Runs before tsc,
// which then type-checks src/badge.ts against the written declaration.
import { mkdirSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

const out = await build({
  entryPoints: [new URL('../src/browser/badge.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'inline',
  write: false,
})
const code = out.outputFiles[0].text
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true })
writeFileSync(new URL('../dist/badge-bundle.js', import.meta.url), `export const BADGE_BUNDLE = ${JSON.stringify(code)}\n`)
writeFileSync(new URL('../dist/badge-bundle.d.ts', import.meta.url), 'export declare const BADGE_BUNDLE: string\n')
console.log(`signet-badge.js: ${code.length} bytes`)
