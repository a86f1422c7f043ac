import { describe, expect, it } from 'vitest';
import { isSignetError } from '@signet/config';
import { renderMarkdown } from '../src/index.js';

function errorOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('nesting too deep to render', () => {
  for (const [name, markdown] of [
    ['20,000 nested spans', `${'<span>'.repeat(20_000)}x${'</span>'.repeat(20_000)}\n`],
    ['20,000 unclosed divs', '<div>\n'.repeat(20_000)],
    ['50,000 emphasis markers', `${'*'.repeat(50_000)}x${'*'.repeat(50_000)}\n`],
  ] as const) {
    it(`${name}: a message naming the file, not a RangeError`, () => {
      for (const trustHtml of [false, true]) {
        const error = errorOf(() => renderMarkdown(markdown, { trustHtml, source: 'content/posts/deep.md' }));
        expect(isSignetError(error), String(error)).toBe(true);
        expect(error).toMatchObject({ file: 'content/posts/deep.md', message: expect.stringContaining('nests too deeply') });
      }
    }, 120_000);
  }

  it('a few hundred levels still render', () => {
    expect(renderMarkdown(`${'<span>'.repeat(300)}x${'</span>'.repeat(300)}\n`).html).toContain('x</span>');
  });
});
