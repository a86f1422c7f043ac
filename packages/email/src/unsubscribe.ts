import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeAddress } from './address.js';

/**
 * The per-reader token of a one-click unsubscribe URL: an HMAC over the list and the address, keyed
 * with a secret from the environment, so the endpoint can trust a POST without a login or a cookie
 * (RFC 8058) and nobody can unsubscribe someone else.
 */
export function unsubscribeToken(secret: string, listId: string, address: string): string {
  return createHmac('sha256', secret).update(`${listId}\n${normalizeAddress(address)}`).digest('base64url');
}

/** `endpoint?u=<address, base64url>&t=<token>`. */
export function unsubscribeUrl(endpoint: string, secret: string, listId: string, address: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('u', Buffer.from(normalizeAddress(address)).toString('base64url'));
  url.searchParams.set('t', unsubscribeToken(secret, listId, address));
  return url.href;
}

/** For an unsubscribe endpoint: the address a URL's `u` and `t` stand for, or undefined when the token is wrong. */
export function checkUnsubscribe(secret: string, listId: string, u: string, t: string): string | undefined {
  const address = Buffer.from(u, 'base64url').toString('utf8');
  const expected = Buffer.from(unsubscribeToken(secret, listId, address));
  const given = Buffer.from(t);
  return expected.length === given.length && timingSafeEqual(expected, given) ? address : undefined;
}
