import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Drop, Liquid } from 'liquidjs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileLayout } from '../src/compile.js';
import { createRenderer, THEME_LAYOUTS } from '../src/index.js';

// compile.ts renders layouts as JavaScript functions instead of through LiquidJS. Every test here
// renders the same layout and data both ways and requires the same bytes.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** LiquidJS as the renderer configures it, over `roots`. */
function liquid(roots: string[]): Liquid {
  return new Liquid({ root: roots, layouts: roots, partials: roots, extname: '.liquid', outputEscape: 'escape', cache: true, strictFilters: true, timezoneOffset: 0 });
}

const dirs: string[] = [];
function layouts(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-compile-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.liquid`), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** mulberry32, so the data is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values that Liquid treats each its own way: nil, false, empty and blank strings, markup to escape,
// numbers, arrays and objects with and without `size`.
const VALUES: unknown[] = [
  undefined, null, false, true, 0, 1, -2, 2.5, '', ' ', '\n', 'x', 'home', 'a & b', '<b>"q"</b> \'s\'',
  [], ['a'], ['x', 'home', 3], [[], ''], {}, { b: 'y', title: 'T' }, { size: 5, first: 'f' }, { name: 'n', path: '/p/' },
];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

describe('compiled layouts', () => {
  it('compiles every theme layout', () => {
    const engine = liquid([THEME_LAYOUTS]);
    for (const file of readdirSync(THEME_LAYOUTS)) expect(compileLayout(engine, file.replace(/\.liquid$/, '')), file).toBeTypeOf('function');
  });

  // Generous: a busy machine runs it several times slower than an idle one.
  it('renders the theme layouts and the examples\' own as LiquidJS does, over 2,000 seeded random data', { timeout: 60_000 }, () => {
    const next = random(11);
    const text = () => pick(next, ['', ' ', 'Title', 'a & b', '<i>x</i>', 'It\'s "quoted"', 'home', undefined, null]);
    const post = () => ({ title: text(), path: '/p/', date: '2024-01-02T03:04:05Z', dateText: '2 January 2024', summary: text(), content: pick(next, ['<p>x</p>', '', undefined]) });
    const data = () => ({
      site: {
        title: text(), base: pick(next, ['/', '/blog/']), language: pick(next, ['en', '', undefined]), host: 'example.com', didDocumentPath: '/.well-known/did.json',
        author: pick(next, [{ name: text() }, {}, undefined]), badgeScript: pick(next, ['assets/badge.js', undefined, '']),
        feeds: { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' },
        menu: Array.from({ length: Math.floor(next() * 3) }, () => ({ path: '/about/', title: text() })),
        blogroll: pick(next, ['/blogroll.opml', undefined]),
      },
      page: {
        kind: pick(next, ['home', 'post', 'tag', undefined]), title: text(), description: text(), url: 'https://example.com/p/', language: pick(next, ['fr', undefined]),
        feeds: Array.from({ length: Math.floor(next() * 3) }, () => ({ type: 'application/rss+xml', title: text(), url: '/feed.xml' })),
        envelopeJson: pick(next, ['{"a":1}', undefined, '']), date: '2024-01-02T03:04:05Z', dateText: '2 January 2024', updated: pick(next, ['2024-02-02T00:00:00Z', undefined]),
        updatedText: '2 February 2024', author: text(), content: pick(next, ['<p>Body &amp; more</p>', '', undefined]), summary: text(), heading: text(),
        tags: pick(next, [[], [{ name: 'a', path: '/tags/a/' }], undefined, [{ name: '<x>', path: '/tags/x/' }, { name: 'b', path: '/tags/b/' }]]),
      },
      posts: Array.from({ length: Math.floor(next() * 4) }, post),
      pagination: pick(next, [{ page: 1, pages: 1 }, { page: 2, pages: 3, newer: '/', older: '/page/3/' }, undefined]),
      tags: pick(next, [[], [{ name: 'a', path: '/tags/a/', count: 2 }], undefined]),
      items: Array.from({ length: Math.floor(next() * 3) }, () => ({
        heading: text(), url: 'https://other.example/p/', date: pick(next, ['2024-01-02T03:04:05Z', undefined]), dateText: '2 January 2024', summary: text(),
        site: { title: text(), url: 'https://other.example/' }, mark: pick(next, ['signed', 'unsigned', 'key-changed']), markText: text(),
      })),
      sites: Array.from({ length: Math.floor(next() * 3) }, () => ({ title: text(), url: 'https://other.example/', feed: 'https://other.example/feed.xml', description: text(), mark: 'signed', markText: text() })),
    });
    const sets = [[THEME_LAYOUTS], ...['blog', 'minimal', 'twitter-exit'].map((name) => path.join(repo, 'examples', name, 'layouts')).filter((dir) => readdirSync(path.dirname(dir)).includes('layouts')).map((dir) => [dir, THEME_LAYOUTS])];
    expect(sets.length).toBeGreaterThan(1);
    for (const roots of sets) {
      const engine = liquid(roots);
      const names = [...new Set(roots.flatMap((dir) => readdirSync(dir).map((file) => file.replace(/\.liquid$/, ''))))];
      for (const name of names) {
        const compiled = compileLayout(engine, name)!;
        expect(compiled, name).toBeTypeOf('function');
        for (let i = 0; i < 2000 / names.length; i++) {
          const input = data();
          expect(compiled(input), `${roots[0]} ${name}`).toBe(engine.renderFileSync(name, input));
        }
      }
    }
  });

  it('reads values, filters, conditions and loops as LiquidJS does, for every mix of Liquid\'s kinds of value', () => {
    const dir = layouts({
      values: '{{ a }}|{{ a.b }}|{{ a.size }}|{{ a.first }}|{{ a.last }}|{{ a.title }}|{{ s.size }}|{{ o.size }}|{{ o.first }}|{{ l[0] }}|{{ l[-1] }}|{{ l.1 }}|{{ a["b"] }}|{{ missing.x.y }}|{{ size }}|{{ constructor }}|{{ toString }}|{{ "lit" }}|{{ 3 }}|{{ true }}|{{ nil }}|{{ empty }}|{{ blank }}',
      filters: '{{ a | default: "d" }}|{{ a | default: b }}|{{ a | raw }}|{{ a | escape }}|{{ a | escape | raw }}|{{ a | raw | escape }}|{{ a | default: s | raw }}|{{ l | default: "none" }}',
      conditions: [
        '{% if a %}1{% endif %}', '{% if a and b %}2{% endif %}', '{% if a or b and c %}3{% endif %}', '{% if a == b %}4{% endif %}',
        '{% if a != b %}5{% endif %}', '{% if a == blank %}6{% endif %}', '{% if a != empty %}7{% endif %}', '{% if a == nil %}8{% endif %}',
        '{% if blank == a %}9{% endif %}', '{% if l contains a %}10{% endif %}', '{% if s contains "o" %}11{% endif %}', '{% if a > 0 %}12{% endif %}',
        '{% if a < b %}13{% endif %}', '{% if a >= 1 %}14{% endif %}', '{% if a <= nil %}15{% endif %}', '{% if a.size > 1 %}16{% endif %}',
        '{% if not a %}17{% endif %}', '{% if a %}A{% elsif b %}B{% elsif c %}C{% else %}D{% endif %}', '{% unless a %}U{% elsif b %}V{% else %}W{% endunless %}',
        '{% if a == "home" and b != "home" %}18{% endif %}', '{% if l == a %}19{% endif %}', '{% if a | default: b %}20{% endif %}', '{% if empty == empty %}21{% endif %}',
      ].join('|'),
      loops: '{% for x in l %}[{{ x }}{% for y in x %}({{ y }}{{ x.size }}){% endfor %}{{ y }}]{% else %}none{% endfor %}|{% for x in a %}<{{ x }}>{% endfor %}|{% for a in l %}{{ a }}{% endfor %}{{ a }}|{% for k in o %}{{ k }};{% endfor %}',
    });
    const engine = liquid([dir]);
    const next = random(5);
    for (const name of ['values', 'filters', 'conditions', 'loops']) {
      const compiled = compileLayout(engine, name)!;
      expect(compiled, name).toBeTypeOf('function');
      for (let i = 0; i < 1500; i++) {
        const input = { a: pick(next, VALUES), b: pick(next, VALUES), c: pick(next, VALUES), s: pick(next, VALUES), o: pick(next, VALUES), l: pick(next, VALUES) };
        expect(compiled(input), `${name} ${JSON.stringify(input)}`).toBe(engine.renderFileSync(name, input));
      }
    }
  });

  it('fills a layout\'s blocks as LiquidJS does: named, anonymous, missing (the layout\'s own), text around them', () => {
    const dir = layouts({
      frame: 'top {{ t }}[{% block one %}default one{% endblock %}]({% block %}{% endblock %}){% block two %}default {{ t }}{% endblock %} end\n',
      both: 'before {% layout "frame" %} ignored {{ t }} {% block two %}two {{ t | raw }}{% endblock %}{% block one %}one{% endblock %} also ignored',
      anonymous: '{% layout "frame" %}{% block %}anon {{ t }}{% endblock %}{% block one %}1{% endblock %}',
      none: '{% layout "frame" %}just text {{ t }}',
      conditional: '{% layout "frame" %}{% if t %}{% block one %}if {{ t }}{% endblock %}{% endif %}',
      // The child's block reads the loop variable of the layout that renders it.
      looping: '{% for t in l %}<{% block item %}{{ t }}{% endblock %}>{% endfor %}',
      item: '{% layout "looping" %}{% block item %}{{ t }}+{% for u in l %}{{ t }}{{ u }}{% endfor %}{% endblock %}',
      // A name read many times (made once per function) and a loop variable of the same name between.
      shadow: '{{ t }}{{ t.size }}{% for t in l %}[{{ t }}{{ t.size }}]{% endfor %}{{ t }}{{ t.size }}{% block item %}{% endblock %}',
      shadowed: '{% layout "shadow" %}{% block item %}{{ t }}{% for t in l %}{{ t }}{% endfor %}{{ t }}{% endblock %}',
      // Two layouts that fill the same layout: it is compiled once, and each fills its own blocks.
      other: '{% layout "looping" %}{% block item %}({{ t }}){% endblock %}',
    });
    const engine = liquid([dir]);
    for (const name of ['looping', 'item', 'shadow', 'shadowed', 'other', 'item']) expect(compileLayout(engine, name)!({ t: 'top', l: ['a', 'b'] }), name).toBe(engine.renderFileSync(name, { t: 'top', l: ['a', 'b'] }));
    for (const name of ['frame', 'both', 'anonymous', 'none', 'conditional']) {
      const compiled = compileLayout(engine, name)!;
      expect(compiled, name).toBeTypeOf('function');
      for (const t of ['x & y', '', undefined]) expect(compiled({ t }), name).toBe(engine.renderFileSync(name, { t }));
    }
  });

  it('leaves layouts with anything else to LiquidJS, which the renderer then uses', () => {
    const dir = layouts({
      assign: '{% assign x = "a" %}{{ x }}',
      forloop: '{% for x in l %}{{ forloop.index }}{% endfor %}',
      upcase: '{{ t | upcase }}',
      limit: '{% for x in l limit: 1 %}{{ x }}{% endfor %}',
      range: '{% for i in (1..3) %}{{ i }}{% endfor %}',
      nested: '{% layout "mid" %}{% block b %}x{% endblock %}',
      mid: '{% layout "frame" %}{% block b %}m{% endblock %}',
      frame: '[{% block b %}{% endblock %}]',
    });
    const engine = liquid([dir]);
    const renderer = createRenderer(dir);
    for (const name of ['assign', 'forloop', 'upcase', 'limit', 'range', 'nested']) {
      expect(compileLayout(engine, name), name).toBeUndefined();
      expect(renderer.render(name, { t: 'a', l: [1, 2] }), name).toBe(engine.renderFileSync(name, { t: 'a', l: [1, 2] }));
    }
  });

  it('hands a page whose data holds a Liquid drop to LiquidJS', () => {
    class Upper extends Drop {
      liquidMethodMissing(key: string | number): string {
        return String(key).toUpperCase();
      }
    }
    const dir = layouts({ drop: '{{ d.hello }}|{{ t }}' });
    const renderer = createRenderer(dir);
    expect(renderer.render('drop', { d: new Upper(), t: 'x' })).toBe('HELLO|x');
    expect(renderer.render('drop', { d: { hello: 'plain' }, t: 'x' })).toBe('plain|x');
  });
});
