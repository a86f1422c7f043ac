import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@signet/config';
import { readSubscribers } from '../src/index.js';
import { isAddress, redact } from '../src/address.js';
import { cleanup, makeSite } from './helpers.js';

afterEach(cleanup);

describe('the subscriber list', () => {
  it('drops duplicates case-insensitively and keeps names', () => {
    const { root, list } = makeSite({});
    expect(readSubscribers(list, loadConfig(root))).toEqual([
      { address: 'ada@reader.example', name: 'Ada' },
      { address: 'Bob@Reader.example', name: 'Bob' },
      { address: 'cy@other.example' },
    ]);
  });

  it("reads a provider's export, leaving out who unsubscribed, and a plain list of addresses", () => {
    const { root, dir } = makeSite({});
    const file = path.join(dir, 'export.csv');
    writeFileSync(file, '\ufeffEmail Address,First Name,Status\r\nada@reader.example,Ada,subscribed\r\nbob@reader.example,Bob,unsubscribed\r\n');
    expect(readSubscribers(file, loadConfig(root))).toEqual([{ address: 'ada@reader.example', name: 'Ada' }]);
    writeFileSync(file, 'ada@reader.example\nbob@reader.example\n');
    expect(readSubscribers(file, loadConfig(root)).map((s) => s.address)).toEqual(['ada@reader.example', 'bob@reader.example']);
  });

  it('names the line of a bad row but never its contents', () => {
    const { root, dir } = makeSite({});
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, 'email,name\nada@reader.example,Ada\n"evil@x.example\nBcc: all@x.example",Eve\n');
    let message = '';
    try {
      readSubscribers(file, loadConfig(root));
    } catch (error) {
      message = `${(error as Error).message} ${(error as { line?: number }).line}`;
    }
    expect(message).toMatch(/no valid email address \d/);
    expect(message).not.toContain('evil');
  });
});

describe('addresses in server replies', () => {
  it('are replaced, whatever surrounds them', () => {
    expect(redact('550 5.1.1 <ann@example.com>: Recipient address rejected')).toBe('550 5.1.1 <<address>>: Recipient address rejected');
    expect(redact('to a@b.example, c@d.example; done')).toBe('to <address>, <address>; done');
    expect(redact('no address @ here, nor @@ nor x@')).toBe('no address @ here, nor @@ nor x@');
  });

  it('an address needs a domain of dot-separated labels', () => {
    expect(isAddress('ann@example.com')).toBe(true);
    expect(isAddress('ann@example..com')).toBe(false);
    expect(isAddress('ann@example')).toBe(false);
    expect(isAddress('ann@.example.com')).toBe(false);
  });
});
