import {
  BlockTag,
  CommentTag,
  Drop as LiquidDrop,
  ForTag,
  IfTag,
  InlineCommentTag,
  LayoutTag,
  LookupType,
  Output,
  TokenKind,
  UnlessTag,
  type Liquid,
  type Template,
} from 'liquidjs';

/**
 * Layouts turned into plain JavaScript functions, for speed: LiquidJS renders through generators, a
 * step per value and tag, which took 190 µs for a post page of the theme and 400 µs for a listing
 * page; the same templates compiled to JavaScript source take 12 and 20 µs (bench/render.mjs; as a tree
 of closures, 16 and 24). LiquidJS still parses
 * every layout (so errors and the syntax are its own) and renders whatever this does not know: a
 * layout using any other tag, filter or expression is rendered by LiquidJS as before, and so is a
 * page whose data holds a Liquid drop. What is compiled follows LiquidJS 10's semantics (scopes, property reads with `size`,
 * `first` and `last`, truthiness, `==` with `blank`, `empty` and `nil`, output escaping), and a test
 * renders the theme's and the examples' layouts, and templates for every construct, both ways over
 * varied data and requires the same bytes.
 *
 * Understood: text; `{{ value | filters }}` with `default`, `escape` and `raw`; `if`/`elsif`/`else`,
 * `unless`, `for … in …` with `else` (no limit, offset or reversed); `comment`; one level of `layout`
 * with `block`s. Not: `forloop` and `block` variables, ranges, `assign`, `capture`, `include`,
 * `render` and the rest.
 */
export type CompiledLayout = (data: object) => string;

// Read once: bundled (packages/cli/scripts/bundle.mjs), each use of a CommonJS package's import is a
// property read through getters, and this one is tested for every value a page reads.
const Drop = LiquidDrop;
type Drop = LiquidDrop;

/** Thrown while rendering when a value needs what only LiquidJS does (a drop); the page goes to LiquidJS. */
export const NOT_COMPILED = Symbol('not compiled');

class Unsupported extends Error {}

interface State {
  data: object;
  scopes: Record<string, unknown>[];
  /** Set while a layout's child is rendered for its blocks (LiquidJS's "store" block mode). */
  blocks: Map<string, Render> | undefined;
  /** The child's blocks while its layout is rendered. */
  filled: Map<string, Render> | undefined;
}

type Render = (state: State) => string;

/** Compiles the parsed layout `name`, or says it can't (undefined): LiquidJS renders it then. */
export function compileLayout(engine: Liquid, name: string): CompiledLayout | undefined {
  const filters = engine.filters as Record<string, unknown>;
  const known = {
    escape: filters.escape,
    raw: (filters.raw as { handler?: unknown } | undefined)?.handler,
    default: filters.default,
    outputEscape: (engine.options as { outputEscape?: unknown }).outputEscape,
  };
  learnDrops(engine);
  try {
    const code = newCode(name);
    const main = unit(engine.parseFileSync(name), { engine, known, depth: 0 }, code);
    const render = link(code, main);
    return (data) => {
      const html = render({ data, scopes: [], blocks: undefined, filled: undefined });
      // Concatenation made a tree of pieces (a V8 rope); reading a character makes it one flat string
      // at once, so the pieces die young rather than live (and be copied) as long as the page does.
      html.charCodeAt(0);
      return html;
    };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

interface Compiler {
  engine: Liquid;
  known: { escape: unknown; raw: unknown; default: unknown; outputEscape: unknown };
  /** Layout nesting: one level is understood. */
  depth: number;
  inBlock?: boolean;
}

// LiquidJS keeps these fields private in its types; they are read here as its source names them.
interface Branch {
  value: ValueLike;
  templates: Template[];
}
interface ValueLike {
  initial: { postfix: TokenLike[] };
  filters: { handler: unknown; raw: boolean; args: unknown[] }[];
}
interface TokenLike {
  kind: number;
  content?: unknown;
  operator?: string;
  variable?: TokenLike;
  props?: TokenLike[];
}

/**
 * A layout as JavaScript source: one function per unit (the layout, each block, a layout tag's child
 * and parent), each appending to its own `out`. Values from the templates (text, literals) are read
 * from `K` rather than written into the source; property names are written as JSON string literals.
 * Generated code rather than a tree of closures: each page then runs straight-line code whose calls V8
 * can inline, where a tree of closures made every call site see every kind of node (a quarter faster).
 */
interface Code {
  constants: unknown[];
  functions: string[];
  /** Numbers the variables of loops, so that nested loops' names differ. */
  loops: number;
  /** The layout's name as far as it is a JavaScript name: its functions are named after it (`post_u2`), so profiles say which layout is hot. */
  prefix: string;
}

function newCode(layout: string): Code {
  return { constants: [], functions: [], loops: 0, prefix: `${/^[0-9]/.test(layout) ? '_' : ''}${layout.replace(/[^A-Za-z0-9_$]/g, '_')}` };
}

/** For-loop variables in scope in the unit being compiled: a name, and the scope object holding it. */
type Bindings = ReadonlyMap<string, string>;

const RUNTIME = { lookup, read: readProperty, str: stringify, esc: escape, truthy, falsy, equals, and, or, contains, compare, dflt, enumerable };

function link(code: Code, main: string): Render {
  const names = Object.keys(RUNTIME).join(', ');
  const source = `"use strict";\nconst { ${names} } = rt;\n${code.functions.join('\n')}\nreturn ${main};`;
  // The source is made here from LiquidJS's parse: template text enters it only through K, names only as JSON literals.
  return new Function('K', 'rt', source)(code.constants, RUNTIME) as Render;
}

/**
 * The layout a layout tag names, compiled once per engine and shared by every layout that names it:
 * the theme's post, list, tags and archive layouts all fill the base layout's blocks, and as a
 * function of each of them it was compiled (and optimised by V8, ~100 ms a time) once per layout. It
 * reads its blocks from `state.filled`, so nothing in it depends on the child.
 */
const parents = new WeakMap<Liquid, Map<string, Render | Unsupported>>();

function parentLayout(compiler: Compiler, file: string): Render {
  let compiled = parents.get(compiler.engine);
  if (!compiled) parents.set(compiler.engine, (compiled = new Map()));
  let render = compiled.get(file);
  if (render === undefined) {
    try {
      const code = newCode(file);
      const main = unit(compiler.engine.parseFileSync(file, LookupType.Layouts), { ...compiler, depth: compiler.depth + 1 }, code);
      render = link(code, main);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      render = error;
    }
    compiled.set(file, render);
  }
  if (render instanceof Unsupported) throw render;
  return render;
}

function constant(code: Code, value: unknown): string {
  code.constants.push(value);
  return `K[${code.constants.length - 1}]`;
}

/** Compiles templates into a function of their own, and returns its name. */
function unit(templates: Template[], compiler: Compiler, code: Code): string {
  const index = code.functions.push('') - 1;
  const name = `${code.prefix}_u${index}`;
  const { declarations, body } = hoist(statements(templates, compiler, code, new Map()));
  code.functions[index] = `function ${name}(state) {\n${declarations}let out = '';\n${body}return out;\n}`;
  return name;
}

// A name the unit looks up, and a property read of a value already hoisted, as generated above.
const LOOKUP = /lookup\(state, ("(?:[^"\\\n]|\\.)*")\)/g;
const READ = /read\((h\d+), ("(?:[^"\\\n]|\\.)*"|-?\d+)\)/g;

/**
 * Reads the unit makes more than once, made once at its start: `page.sharing.title` and its kin are
 * read a dozen times by the theme's base layout, and the function V8 optimised for each layout was
 * so large that compiling it took the optimising compiler 100 ms a time (two of them, each compiled
 * three to five times as it met new data, were a third of that compiler's work in a 4,000-post
 * build). Within one unit, a name that is not one of its own loop variables (those are read from the
 * loop's scope, not looked up) finds the same value anywhere: its scopes are pushed and popped by
 * the caller around it, the data does not change while a page renders, and a loop pushes a scope that
 * holds its own variable only. So does a read of such a value. Made at the start, a read of a branch
 * not taken is made too: it returns undefined on a missing value, and a drop (the one value the
 * compiled code cannot read) sends the page to LiquidJS either way. A property holding a function is
 * called once per unit rather than at each read; the data layouts get holds none.
 */
function hoist(body: string): { declarations: string; body: string } {
  const names = new Map<string, string>();
  let declarations = '';
  const replace = (pattern: RegExp) => {
    const counts = new Map<string, number>();
    for (const [expression] of body.matchAll(pattern)) counts.set(expression, (counts.get(expression) ?? 0) + 1);
    let changed = false;
    for (const [expression, count] of counts) {
      if (count < 2 || names.has(expression)) continue;
      const name = `h${names.size}`;
      names.set(expression, name);
      declarations += `const ${name} = ${expression};\n`;
      changed = true;
    }
    if (changed) body = body.replace(pattern, (expression) => names.get(expression) ?? expression);
    return changed;
  };
  replace(LOOKUP);
  // Each round hoists reads one property deeper: `page.sharing`, then `page.sharing.tags`.
  while (replace(READ));
  return { declarations, body };
}

function statements(templates: Template[], compiler: Compiler, code: Code, bound: Bindings): string {
  return templates.map((template) => statement(template, compiler, code, bound)).join('');
}

function statement(template: Template, compiler: Compiler, code: Code, bound: Bindings): string {
  if (template.token.kind === TokenKind.HTML) {
    return `out += ${constant(code, (template as unknown as { str: string }).str)};\n`;
  }
  if (template instanceof Output) {
    return `out += str(${value((template as unknown as { value: ValueLike }).value, compiler, code, bound, true)});\n`;
  }
  if (template instanceof CommentTag || template instanceof InlineCommentTag) return '';
  if (template instanceof IfTag) {
    const tag = template as unknown as { branches: Branch[]; elseTemplates?: Template[] };
    const branches = tag.branches.map((branch) => `if (truthy(${value(branch.value, compiler, code, bound, false)})) {\n${statements(branch.templates, compiler, code, bound)}}`);
    return `${branches.join(' else ')} else {\n${statements(tag.elseTemplates ?? [], compiler, code, bound)}}\n`;
  }
  if (template instanceof UnlessTag) {
    const tag = template as unknown as { branches: Branch[]; elseTemplates: Template[] };
    // The first branch renders when its value is falsy, each `elsif` when truthy.
    const branches = tag.branches.map((branch, index) => `if (${index > 0 ? '' : '!'}truthy(${value(branch.value, compiler, code, bound, false)})) {\n${statements(branch.templates, compiler, code, bound)}}`);
    return `${branches.join(' else ')} else {\n${statements(tag.elseTemplates, compiler, code, bound)}}\n`;
  }
  if (template instanceof ForTag) {
    const tag = template as unknown as { variable: string; collection: TokenLike; hash: { hash: object }; templates: Template[]; elseTemplates: Template[] };
    if (Object.keys(tag.hash.hash).length > 0) throw new Unsupported('for with limit, offset or reversed');
    const id = code.loops++;
    const items = `items${id}`;
    const scope = `scope${id}`;
    const key = JSON.stringify(tag.variable);
    // Still pushed on `state.scopes`: a block rendered inside the loop finds the variable there.
    const body = statements(tag.templates, compiler, code, new Map([...bound, [tag.variable, scope]]));
    return `{\nconst ${items} = enumerable(${token(tag.collection, code, bound)});\n`
      + `if (${items}.length === 0) {\n${statements(tag.elseTemplates, compiler, code, bound)}} else {\n`
      + `const ${scope} = Object.create(null);\nstate.scopes.push(${scope});\n`
      + `for (const item of ${items}) {\n${scope}[${key}] = item;\n${body}}\nstate.scopes.pop();\n}\n}\n`;
  }
  if (template instanceof BlockTag) {
    if (compiler.inBlock) throw new Unsupported('a block inside a block');
    const name = constant(code, (template as unknown as { block: string }).block);
    // A block may be rendered by the layout, inside the layout's own loops: its names are looked up.
    const own = unit((template as unknown as { templates: Template[] }).templates, { ...compiler, inBlock: true }, code);
    return `if (state.blocks) state.blocks.set(${name}, ${own});\nelse out += (state.filled?.get(${name}) ?? ${own})(state);\n`;
  }
  if (template instanceof LayoutTag) {
    const tag = template as unknown as { file: unknown; args: { hash: object }; templates: Template[] };
    if (compiler.depth > 0 || typeof tag.file !== 'string' || tag.file.startsWith('.') || Object.keys(tag.args.hash).length > 0) throw new Unsupported('this layout tag');
    const child = unit(tag.templates, compiler, code);
    const layout = constant(code, parentLayout(compiler, tag.file));
    // LiquidJS pushes the layout's (empty) arguments as a scope.
    return `{\nconst blocks = new Map();\nstate.blocks = blocks;\nconst html = ${child}(state);\nstate.blocks = undefined;\n`
      + `if (!blocks.has('')) blocks.set('', () => html);\nstate.filled = blocks;\nstate.scopes.push(Object.create(null));\n`
      + `out += ${layout}(state);\nstate.scopes.pop();\nstate.filled = undefined;\n}\n`;
  }
  throw new Unsupported(`tag ${template.token.getText()}`);
}

/**
 * A value and its filters, as an expression; `output` adds the escaping LiquidJS appends to `{{ }}`
 * unless `raw` ends it. Every operand and filter argument is evaluated, in order, as LiquidJS does.
 */
function value(value: ValueLike, compiler: Compiler, code: Code, bound: Bindings, output: boolean): string {
  let result = expression(value.initial.postfix, code, bound);
  for (const filter of value.filters) {
    if (filter.handler === compiler.known.raw) continue;
    if (filter.handler === compiler.known.escape || (output && filter.handler === compiler.known.outputEscape && compiler.known.outputEscape === compiler.known.escape)) {
      result = `esc(str(${result}))`;
    } else if (filter.handler === compiler.known.default && filter.args.length === 1 && !Array.isArray(filter.args[0])) {
      result = `dflt(${result}, ${token(filter.args[0] as TokenLike, code, bound)})`;
    } else {
      throw new Unsupported('filter');
    }
  }
  if (output && compiler.known.outputEscape !== compiler.known.escape && compiler.known.outputEscape) throw new Unsupported('output escape');
  return result;
}

const BINARY: Record<string, (left: string, right: string) => string> = {
  '==': (l, r) => `equals(${l}, ${r})`,
  '!=': (l, r) => `!equals(${l}, ${r})`,
  and: (l, r) => `and(${l}, ${r})`,
  or: (l, r) => `or(${l}, ${r})`,
  contains: (l, r) => `contains(${l}, ${r})`,
  '>': (l, r) => `compare(">", ${l}, ${r})`,
  '<': (l, r) => `compare("<", ${l}, ${r})`,
  '>=': (l, r) => `compare(">=", ${l}, ${r})`,
  '<=': (l, r) => `compare("<=", ${l}, ${r})`,
};

/** LiquidJS's postfix form, as nested calls: operands evaluated one by one, as it does (no short-circuit). */
function expression(postfix: TokenLike[], code: Code, bound: Bindings): string {
  const stack: string[] = [];
  for (const item of postfix) {
    if (item.kind !== TokenKind.Operator) {
      stack.push(token(item, code, bound));
      continue;
    }
    const operator = item.operator!;
    if (operator === 'not') {
      stack.push(`falsy(${stack.pop()!})`);
      continue;
    }
    const make = Object.hasOwn(BINARY, operator) ? BINARY[operator] : undefined;
    if (!make) throw new Unsupported(`operator ${operator}`);
    const right = stack.pop()!;
    const left = stack.pop()!;
    stack.push(make(left, right));
  }
  if (stack.length !== 1) throw new Unsupported('expression');
  return stack[0]!;
}

function token(item: TokenLike, code: Code, bound: Bindings): string {
  if (item.kind === TokenKind.PropertyAccess) {
    if (item.variable !== undefined) throw new Unsupported('a property of a literal');
    const props = item.props!.map((prop) => {
      if (!('content' in prop) || (typeof prop.content !== 'string' && typeof prop.content !== 'number')) throw new Unsupported('a computed property');
      return prop.content;
    });
    const [first, ...rest] = props as [string, ...(string | number)[]];
    // Variables LiquidJS itself sets inside `for` and `block`, which are drops.
    if (first === 'forloop' || first === 'block') throw new Unsupported(first);
    // A loop variable of this unit is in the innermost scope that has it: read there directly.
    const scope = bound.get(first);
    let result = scope ? `read(${scope}, ${JSON.stringify(first)})` : `lookup(state, ${JSON.stringify(first)})`;
    for (const prop of rest) result = `read(${result}, ${JSON.stringify(prop)})`;
    return result;
  }
  if (item.kind === TokenKind.Literal || item.kind === TokenKind.Quoted || item.kind === TokenKind.Number) return constant(code, item.content);
  throw new Unsupported('this kind of value');
}

function and(left: unknown, right: unknown): boolean {
  return truthy(left) && truthy(right);
}

function or(left: unknown, right: unknown): boolean {
  return truthy(left) || truthy(right);
}

function contains(left: unknown, right: unknown): boolean {
  const l = unwrap(left);
  if (Array.isArray(l)) return l.some((item) => equals(item, right));
  if (typeof (l as { indexOf?: unknown } | null | undefined)?.indexOf === 'function') return (l as string).indexOf(unwrap(right) as string) > -1;
  return false;
}

function compare(operator: string, left: unknown, right: unknown): boolean {
  // `nil`, `empty` and `blank` are never greater or less than anything.
  if (left instanceof Drop || right instanceof Drop) return false;
  const a = left as number;
  const b = right as number;
  return operator === '>' ? a > b : operator === '<' ? a < b : operator === '>=' ? a >= b : a <= b;
}

/** The `default` filter: its fallback when the value is falsy, an empty string or an empty array. */
function dflt(input: unknown, fallback: unknown): unknown {
  const value = unwrap(input);
  if (Array.isArray(value) || typeof value === 'string') return value.length > 0 ? value : fallback;
  return falsy(value) ? fallback : value;
}

const GLOBALS: Record<string, unknown> = {};

/** LiquidJS's findScope then readProperty: pushed scopes, then the data, then the (empty) globals. */
function lookup(state: State, key: string): unknown {
  for (let i = state.scopes.length - 1; i >= 0; i--) {
    const scope = state.scopes[i]!;
    if (key in scope) return readProperty(scope, key);
  }
  return key in state.data ? readProperty(state.data, key) : readProperty(GLOBALS, key);
}

const hasOwn = Object.prototype.hasOwnProperty;

function readProperty(object: unknown, key: string | number): unknown {
  if (object instanceof Drop) throw NOT_COMPILED;
  if (object !== null && object !== undefined && typeof (object as { toLiquid?: unknown }).toLiquid === 'function') throw NOT_COMPILED;
  if (object === null || object === undefined) return object;
  if (Array.isArray(object) && typeof key === 'number') {
    const index = key < 0 ? object.length + key : key;
    return hasOwn.call(object, index) ? object[index] : undefined;
  }
  const value = hasOwn.call(object, key) ? (object as Record<string | number, unknown>)[key] : undefined;
  if (typeof value === 'function') return (value as () => unknown).call(object);
  if (key === 'size') {
    if (hasOwn.call(object, 'size') || (object as { size?: unknown }).size !== undefined) return (object as { size?: unknown }).size;
    if (Array.isArray(object) || typeof object === 'string') return object.length;
    return typeof object === 'object' ? Object.keys(object).length : undefined;
  }
  if (key === 'first' || key === 'last') {
    if (Array.isArray(object)) {
      const index = key === 'first' ? 0 : object.length - 1;
      return hasOwn.call(object, index) ? object[index] : undefined;
    }
  }
  return value;
}

/** A drop's value (`nil` → null, `empty` and `blank` → ''), as LiquidJS's toValue. */
function unwrap(value: unknown): unknown {
  if (value instanceof Drop) return (value as unknown as { valueOf(): unknown }).valueOf();
  return value;
}

function falsy(value: unknown): boolean {
  const plain = unwrap(value);
  return plain === false || plain === undefined || plain === null;
}

function truthy(value: unknown): boolean {
  return !falsy(value);
}

function equals(left: unknown, right: unknown): boolean {
  if (left instanceof Drop) return dropEquals(left, right);
  if (right instanceof Drop) return dropEquals(right, left);
  if (Array.isArray(left)) return Array.isArray(right) && left.length === right.length && left.every((item, i) => equals(item, right[i]));
  return left === right;
}

type DropKind = 'nil' | 'empty' | 'blank';

/**
 * The classes of `nil`, `empty` and `blank`, as LiquidJS parses them: it does not export them, and
 * their names can't be trusted (bundled, `EmptyDrop` is named `_EmptyDrop`).
 */
const dropKinds = new Map<unknown, DropKind>();

function learnDrops(engine: Liquid): void {
  if (dropKinds.size > 0) return;
  for (const kind of ['nil', 'empty', 'blank'] as const) {
    const [output] = engine.parse(`{{ ${kind} }}`) as unknown as [{ value: ValueLike }];
    dropKinds.set((output.value.initial.postfix[0]?.content as object | undefined)?.constructor, kind);
  }
}

/** `nil`, `empty` and `blank`, compared as LiquidJS's NullDrop, EmptyDrop and BlankDrop do. */
function dropEquals(drop: Drop, other: unknown): boolean {
  const kind = dropKinds.get(drop.constructor);
  const value = unwrap(other);
  if (kind === 'nil') return value === null || value === undefined;
  if (kind === 'blank') {
    if (other === false || value === null || value === undefined) return true;
    if (typeof other === 'string') return /^\s*$/.test(other);
  } else if (kind !== 'empty') {
    throw NOT_COMPILED;
  }
  const otherKind = other instanceof Drop ? dropKinds.get(other.constructor) : undefined;
  if (otherKind === 'empty' || otherKind === 'blank') return false;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function enumerable(value: unknown): unknown[] {
  const plain = unwrap(value);
  if (Array.isArray(plain)) return plain;
  if (typeof plain === 'string') return plain.length > 0 ? [plain] : [];
  if (plain !== null && typeof plain === 'object') {
    if (Symbol.iterator in plain) return Array.from(plain as Iterable<unknown>);
    return Object.keys(plain).map((key) => [key, (plain as Record<string, unknown>)[key]]);
  }
  return [];
}

function stringify(value: unknown): string {
  const plain = unwrap(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringify).join('');
  return String(plain);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

function escape(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (char) => ESCAPES[char]!) : text;
}
