import { readFileSync } from 'node:fs';
import { Liquid } from 'liquidjs';
import { createRenderer, THEME_LAYOUTS } from './dist/index.js';
const all = JSON.parse(readFileSync('/tmp/s3/liq-data.json', 'utf8'));
const r = createRenderer(undefined);
for (const layout of ['post', 'list']) {
  const jobs = all.filter((c) => c.layout === layout);
  for (let i = 0; i < 3; i++) for (const j of jobs) r.render(j.layout, j.data);
  let t = performance.now(); let n = 0;
  for (let i = 0; i < 10; i++) for (const j of jobs) { r.render(j.layout, j.data); n++; }
  console.log(layout, 'renderFileSync', ((performance.now() - t) / n * 1000).toFixed(1), 'µs', jobs.length);
  const engine = new Liquid({ root: [THEME_LAYOUTS], layouts: [THEME_LAYOUTS], partials: [THEME_LAYOUTS], extname: '.liquid', outputEscape: 'escape', cache: true, strictFilters: true, timezoneOffset: 0 });
  const tpl = engine.parseFileSync(layout);
  for (let i = 0; i < 3; i++) for (const j of jobs) engine.renderSync(tpl, j.data);
  t = performance.now(); n = 0;
  for (let i = 0; i < 10; i++) for (const j of jobs) { engine.renderSync(tpl, j.data); n++; }
  console.log(layout, 'renderSync parsed', ((performance.now() - t) / n * 1000).toFixed(1), 'µs');
}
