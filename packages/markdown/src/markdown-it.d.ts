// markdown-it's own block rules, imported one by one; @types/markdown-it declares only the package's entry.
declare module 'markdown-it/lib/rules_block/table.mjs' {
  import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';

  export default function table(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean;
}
