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
 * page; the same templates as closures take 15 and 27 µs (bench/render.mjs). LiquidJS still parses
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
type Evaluate = (state: State) => unknown;

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
    const render = sequence(engine.parseFileSync(name), { engine, known, depth: 0 });
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

function sequence(templates: Template[], compiler: Compiler): Render {
  const parts = templates.map((template) => compile(template, compiler)).filter((part): part is Render => part !== undefined);
  if (parts.length === 1) return parts[0]!;
  return (state) => {
    let out = '';
    for (const part of parts) out += part(state);
    return out;
  };
}

function compile(template: Template, compiler: Compiler): Render | undefined {
  if (template.token.kind === TokenKind.HTML) {
    const text = (template as unknown as { str: string }).str;
    return () => text;
  }
  if (template instanceof Output) {
    const value = compileValue((template as unknown as { value: ValueLike }).value, compiler, true);
    return (state) => stringify(value(state));
  }
  if (template instanceof CommentTag || template instanceof InlineCommentTag) return undefined;
  if (template instanceof IfTag) {
    const tag = template as unknown as { branches: Branch[]; elseTemplates?: Template[] };
    const branches = tag.branches.map((branch) => ({ test: compileValue(branch.value, compiler, false), render: sequence(branch.templates, compiler) }));
    const otherwise = sequence(tag.elseTemplates ?? [], compiler);
    return (state) => {
      for (const branch of branches) if (truthy(branch.test(state))) return branch.render(state);
      return otherwise(state);
    };
  }
  if (template instanceof UnlessTag) {
    const tag = template as unknown as { branches: (Branch & { test: (value: unknown) => boolean })[]; elseTemplates: Template[] };
    const branches = tag.branches.map((branch, index) => ({
      value: compileValue(branch.value, compiler, false),
      // The first branch renders when its value is falsy, each `elsif` when truthy.
      wanted: index > 0,
      render: sequence(branch.templates, compiler),
    }));
    const otherwise = sequence(tag.elseTemplates, compiler);
    return (state) => {
      for (const branch of branches) if (truthy(branch.value(state)) === branch.wanted) return branch.render(state);
      return otherwise(state);
    };
  }
  if (template instanceof ForTag) {
    const tag = template as unknown as { variable: string; collection: TokenLike; hash: { hash: object }; templates: Template[]; elseTemplates: Template[] };
    if (Object.keys(tag.hash.hash).length > 0) throw new Unsupported('for with limit, offset or reversed');
    const collection = compileToken(tag.collection);
    const body = sequence(tag.templates, compiler);
    const otherwise = sequence(tag.elseTemplates, compiler);
    const variable = tag.variable;
    return (state) => {
      const items = enumerable(collection(state));
      if (items.length === 0) return otherwise(state);
      const scope: Record<string, unknown> = Object.create(null);
      state.scopes.push(scope);
      let out = '';
      for (const item of items) {
        scope[variable] = item;
        out += body(state);
      }
      state.scopes.pop();
      return out;
    };
  }
  if (template instanceof BlockTag) {
    if (compiler.inBlock) throw new Unsupported('a block inside a block');
    const name = (template as unknown as { block: string }).block;
    const own = sequence((template as unknown as { templates: Template[] }).templates, { ...compiler, inBlock: true });
    return (state) => {
      if (state.blocks) {
        state.blocks.set(name, own);
        return '';
      }
      return (state.filled?.get(name) ?? own)(state);
    };
  }
  if (template instanceof LayoutTag) {
    const tag = template as unknown as { file: unknown; args: { hash: object }; templates: Template[] };
    if (compiler.depth > 0 || typeof tag.file !== 'string' || tag.file.startsWith('.') || Object.keys(tag.args.hash).length > 0) throw new Unsupported('this layout tag');
    const child = sequence(tag.templates, compiler);
    const layout = sequence(compiler.engine.parseFileSync(tag.file, LookupType.Layouts), { ...compiler, depth: compiler.depth + 1 });
    return (state) => {
      const blocks = new Map<string, Render>();
      state.blocks = blocks;
      const html = child(state);
      state.blocks = undefined;
      if (!blocks.has('')) blocks.set('', () => html);
      state.filled = blocks;
      // LiquidJS pushes the layout's (empty) arguments as a scope.
      state.scopes.push(Object.create(null) as Record<string, unknown>);
      const out = layout(state);
      state.scopes.pop();
      state.filled = undefined;
      return out;
    };
  }
  throw new Unsupported(`tag ${template.token.getText()}`);
}

/** A value and its filters; `output` adds the escaping LiquidJS appends to `{{ }}` unless `raw` ends it. */
function compileValue(value: ValueLike, compiler: Compiler, output: boolean): Evaluate {
  let result = compileExpression(value.initial.postfix);
  for (const filter of value.filters) {
    const input = result;
    if (filter.handler === compiler.known.raw) continue;
    if (filter.handler === compiler.known.escape || (output && filter.handler === compiler.known.outputEscape && compiler.known.outputEscape === compiler.known.escape)) {
      result = (state) => escape(stringify(input(state)));
    } else if (filter.handler === compiler.known.default && filter.args.length === 1 && !Array.isArray(filter.args[0])) {
      const fallback = compileToken(filter.args[0] as TokenLike);
      result = (state) => {
        const value = unwrap(input(state));
        if (Array.isArray(value) || typeof value === 'string') return value.length > 0 ? value : fallback(state);
        return falsy(value) ? fallback(state) : value;
      };
    } else {
      throw new Unsupported('filter');
    }
  }
  if (output && compiler.known.outputEscape !== compiler.known.escape && compiler.known.outputEscape) throw new Unsupported('output escape');
  return result;
}

const BINARY = new Set(['==', '!=', '>', '<', '>=', '<=', 'contains', 'and', 'or']);

/** LiquidJS's postfix form, evaluated operand by operand as it does (no short-circuit). */
function compileExpression(postfix: TokenLike[]): Evaluate {
  const stack: Evaluate[] = [];
  for (const token of postfix) {
    if (token.kind !== TokenKind.Operator) {
      stack.push(compileToken(token));
      continue;
    }
    const operator = token.operator!;
    if (operator === 'not') {
      const operand = stack.pop()!;
      stack.push((state) => falsy(unwrap(operand(state))));
      continue;
    }
    if (!BINARY.has(operator)) throw new Unsupported(`operator ${operator}`);
    const right = stack.pop()!;
    const left = stack.pop()!;
    stack.push(binary(operator, left, right));
  }
  if (stack.length !== 1) throw new Unsupported('expression');
  return stack[0]!;
}

function binary(operator: string, left: Evaluate, right: Evaluate): Evaluate {
  switch (operator) {
    case '==':
      return (state) => equals(left(state), right(state));
    case '!=':
      return (state) => !equals(left(state), right(state));
    case 'and':
      return (state) => {
        const l = left(state);
        const r = right(state);
        return truthy(l) && truthy(r);
      };
    case 'or':
      return (state) => {
        const l = left(state);
        const r = right(state);
        return truthy(l) || truthy(r);
      };
    case 'contains':
      return (state) => {
        const l = unwrap(left(state));
        const r = right(state);
        if (Array.isArray(l)) return l.some((item) => equals(item, r));
        if (typeof (l as { indexOf?: unknown } | null | undefined)?.indexOf === 'function') return (l as string).indexOf(unwrap(r) as string) > -1;
        return false;
      };
    default:
      return (state) => {
        const l = left(state);
        const r = right(state);
        // `nil`, `empty` and `blank` are never greater or less than anything.
        if (l instanceof Drop || r instanceof Drop) return false;
        const a = l as number;
        const b = r as number;
        return operator === '>' ? a > b : operator === '<' ? a < b : operator === '>=' ? a >= b : a <= b;
      };
  }
}

function compileToken(token: TokenLike): Evaluate {
  if (token.kind === TokenKind.PropertyAccess) {
    if (token.variable !== undefined) throw new Unsupported('a property of a literal');
    const props = token.props!.map((prop) => {
      if (!('content' in prop) || (typeof prop.content !== 'string' && typeof prop.content !== 'number')) throw new Unsupported('a computed property');
      return prop.content;
    });
    const [first, ...rest] = props as [string, ...(string | number)[]];
    // Variables LiquidJS itself sets inside `for` and `block`, which are drops.
    if (first === 'forloop' || first === 'block') throw new Unsupported(first);
    return (state) => {
      let value = lookup(state, first);
      for (const prop of rest) value = readProperty(value, prop);
      return value;
    };
  }
  if (token.kind === TokenKind.Literal || token.kind === TokenKind.Quoted || token.kind === TokenKind.Number) {
    const content = token.content;
    return () => content;
  }
  throw new Unsupported('this kind of value');
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
