import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Liquid } from 'liquidjs';
import { SignetError } from '@signet/config';
import { compileLayout, NOT_COMPILED, type CompiledLayout } from './compile.js';

import { THEME_ASSETS, THEME_LAYOUTS } from './paths.js';

export { THEME_ASSETS, THEME_LAYOUTS };

export interface Renderer {
  /** Renders a layout by name (`post`, `page`, `list`, `tags`, `404`, or a site's own). */
  render(layout: string, data: object): string;
  /** Every layout name available, the site's and the theme's. */
  layouts: string[];
  /** Hash of every layout file's name and bytes: part of the cache key of each rendered page. */
  hash: string;
  /** Throws a SignetError naming the file, the layout and the ones that exist, when `layout` is unknown. */
  check(layout: string, file: string, line?: number): void;
  /**
   * Pages this renderer made with a compiled layout and with LiquidJS (see compile.ts): the second
   * is slower by ten times, so a layout that stops compiling shows here, not only in the time.
   */
  counts: { compiled: number; liquid: number };
}

function listLayouts(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.liquid')).map((name) => name.slice(0, -'.liquid'.length));
  } catch {
    return [];
  }
}

/**
 * LiquidJS, because layouts must be editable without a build step and must not run code: the syntax
 * Jekyll and Eleventy users know, with output escaped unless a template says `| raw`.
 */
export function createRenderer(siteLayoutsDir: string | undefined): Renderer {
  const roots = siteLayoutsDir ? [siteLayoutsDir, THEME_LAYOUTS] : [THEME_LAYOUTS];
  const engine = new Liquid({
    root: roots,
    layouts: roots,
    partials: roots,
    extname: '.liquid',
    outputEscape: 'escape',
    cache: true,
    strictFilters: true,
    timezoneOffset: 0,
  });
  const layouts = [...new Set(roots.flatMap(listLayouts))].sort();
  const hasher = createHash('sha256');
  for (const root of roots) {
    for (const name of listLayouts(root).sort()) {
      hasher.update(`${root === THEME_LAYOUTS ? 'theme' : 'site'}/${name}\0`).update(readFileSync(path.join(root, `${name}.liquid`)));
    }
  }
  // Each layout as a JavaScript function where it can be (see compile.ts), made on first use.
  const compiled = new Map<string, CompiledLayout | null>();
  const check = (layout: string, file: string, line?: number) => {
    if (!layouts.includes(layout)) {
      throw new SignetError(`unknown layout "${layout}"`, {
        file,
        line,
        hint: `Layouts that exist: ${layouts.join(', ')}. Add layouts/${layout}.liquid to the site, or pick one of those.`,
      });
    }
  };
  const counts = { compiled: 0, liquid: 0 };
  return {
    layouts,
    hash: hasher.digest('hex'),
    check,
    counts,
    render(layout, data) {
      check(layout, `${layout}.liquid`);
      try {
        let fast = compiled.get(layout);
        if (fast === undefined) compiled.set(layout, (fast = compileLayout(engine, layout) ?? null));
        if (fast) {
          try {
            const html = fast(data);
            counts.compiled++;
            return html;
          } catch (error) {
            if (error !== NOT_COMPILED) throw error;
          }
        }
        counts.liquid++;
        return engine.renderFileSync(layout, data);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new SignetError(`layout "${layout}" failed: ${message}`, { file: `layouts/${layout}.liquid`, hint: 'Fix the Liquid syntax in that layout.' });
      }
    },
  };
}

/** The theme's static files (the stylesheet), written to `assets/` in the output. */
export function themeAssets(): { outputPath: string; file: string }[] {
  return readdirSync(THEME_ASSETS).sort().map((name) => ({ outputPath: `assets/${name}`, file: path.join(THEME_ASSETS, name) }));
}
