import { describe, expect, it } from 'vitest';
import { isSignetError, parseConfig, type SignetError } from '../src/index.js';

const BASE = 'title: Notes\nurl: https://blog.notes.example/\n';
const parse = (source: string) => parseConfig(BASE + source, '/site', '/site/signet.config.yaml');

function errorOf(source: string): SignetError {
  try {
    parse(source);
  } catch (error) {
    if (isSignetError(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('email config', () => {
  it('is absent unless the site has an email group', () => {
    expect(parse('').email).toBeUndefined();
  });

  it('reads the From address and its domain, on the site or its parent domain', () => {
    const config = parse('email:\n  from: "Notes <Letters@Notes.example>"\n  unsubscribeUrl: https://notes.example/u\n  dkimSelector: s1\n');
    expect(config.email).toEqual({ from: 'Notes <Letters@Notes.example>', address: 'Letters@Notes.example', domain: 'notes.example', unsubscribeUrl: 'https://notes.example/u', dkimSelector: 's1' });
  });

  it('refuses a From on another domain, naming the line', () => {
    const error = errorOf('email:\n  from: letters@mailchimp.example\n');
    expect(error.message).toContain("must be on the site's domain");
    expect(error.line).toBe(4);
  });

  it('refuses an http unsubscribe endpoint, a bad selector, a missing from and unknown keys', () => {
    expect(errorOf('email:\n  from: a@notes.example\n  unsubscribeUrl: http://notes.example/u\n').message).toContain('https://');
    expect(errorOf('email:\n  from: a@notes.example\n  dkimSelector: "a b"\n').message).toContain('DNS label');
    expect(errorOf('email:\n  unsubscribeUrl: https://notes.example/u\n').message).toContain('`email.from` is missing');
    expect(errorOf('email:\n  from: a@notes.example\n  form: x\n').hint).toContain('email.from');
    expect(errorOf('email:\n  from: "not an address"\n').message).toContain('must be an address');
  });
});
