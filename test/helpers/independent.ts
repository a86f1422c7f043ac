// Checks a built site with code that is not Signet's: envelopes are found with a real HTML parser
// (parse5) and a namespace-aware XML parser (xmldom), and verified twice, by Digital Bazaar's
// eddsa-jcs-2022 cryptosuite (jsonld-signatures + data-integrity) and by RFC 8785 JCS
// (`canonicalize`) with Ed25519 from `tweetnacl`. Nothing here reaches the network.
import { createHash } from 'node:crypto';
import { DOMParser, type Element } from '@xmldom/xmldom';
import canonicalizeModule from 'canonicalize';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import nacl from 'tweetnacl';

export const SIGNET_NS = 'urn:signet:ns:signed-posts:v1';

export type Envelope = Record<string, unknown> & { url: string; proof: Record<string, unknown> & { verificationMethod: string; proofValue: string } };

export interface DidDocument {
  id: string;
  '@context'?: unknown;
  verificationMethod: { id: string; type: string; controller: string; publicKeyMultibase: string }[];
  assertionMethod?: string[];
}

/** A post's envelope as one output carries it: `where` names the file (and item). */
export interface Found {
  where: string;
  envelope: Envelope;
}

/** The envelope in a page's `<script type="application/json" id="signed-envelope">`, if any. */
export function envelopeInPage(html: string, where: string): Found | undefined {
  type Node = DefaultTreeAdapterMap['node'];
  const found: string[] = [];
  const visit = (node: Node) => {
    if ('tagName' in node && node.tagName === 'script' && node.attrs.some((a) => a.name === 'id' && a.value === 'signed-envelope')) {
      expectAttribute(node.attrs, 'type', 'application/json', where);
      found.push(node.childNodes.map((c) => ('value' in c ? c.value : '')).join(''));
    }
    const children = 'content' in node ? node.content.childNodes : 'childNodes' in node ? node.childNodes : [];
    for (const child of children) visit(child);
  };
  visit(parse(html));
  if (found.length > 1) throw new Error(`${where}: ${found.length} signed envelopes`);
  return found[0] === undefined ? undefined : { where, envelope: JSON.parse(found[0]) as Envelope };
}

/** Every `signet:envelope` (matched by namespace URI, not prefix) of an RSS item or Atom entry. */
export function envelopesInXmlFeed(xml: string, where: string): Found[] {
  const document = parseXml(xml, where);
  const items = [...Array.from(document.getElementsByTagName('item')), ...Array.from(document.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry'))];
  return items.map((item, index) => {
    const envelopes = Array.from(item.childNodes).filter((c): c is Element => c.nodeType === c.ELEMENT_NODE && (c as Element).namespaceURI === SIGNET_NS && (c as Element).localName === 'envelope');
    if (envelopes.length !== 1) throw new Error(`${where} item ${index + 1}: ${envelopes.length} signet:envelope elements`);
    return { where: `${where} item ${index + 1}`, envelope: JSON.parse(envelopes[0]!.textContent ?? '') as Envelope };
  });
}

/** Every `_signed.envelope` of a JSON Feed's items. */
export function envelopesInJsonFeed(json: string, where: string): Found[] {
  const feed = JSON.parse(json) as { items: { _signed?: { envelope?: Envelope } }[] };
  return feed.items.map((item, index) => {
    if (!item._signed?.envelope) throw new Error(`${where} item ${index + 1}: no _signed.envelope`);
    return { where: `${where} item ${index + 1}`, envelope: item._signed.envelope };
  });
}

/** A strict, namespace-aware parse with XML 1.0's line ends; throws when the text is not well-formed. */
export function parseXml(xml: string, where: string) {
  const parser = new DOMParser({
    normalizeLineEndings: (input) => input.replace(/\r\n?/g, '\n'),
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${where}: not well-formed XML: ${message}`);
    },
  });
  return parser.parseFromString(xml, 'application/xml');
}

/** Digital Bazaar's verifier: jsonld-signatures with the DataIntegrityProof suite and eddsa-jcs-2022. */
export async function verifyWithDigitalBazaar(envelope: Envelope, did: DidDocument): Promise<{ verified: boolean; error?: string }> {
  const suite = new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() });
  const result = await jsigs.verify(structuredClone(envelope), {
    suite,
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    documentLoader: offlineLoader(did),
  });
  const errors = (result.error?.errors ?? (result.error ? [result.error] : [])) as { message: string }[];
  return { verified: result.verified, error: errors.map((e) => e.message).join('; ') || undefined };
}

/**
 * Serves the site's own did.json (for its DID and each of its keys) and the Data Integrity
 * contexts from the npm package; anything else is refused, so no check depends on the network.
 */
function offlineLoader(did: DidDocument) {
  return async (url: string) => {
    const document = url === did.id ? did : did.verificationMethod.find((method) => method.id === url);
    if (document) return { contextUrl: null, documentUrl: url, document: url === did.id ? document : { '@context': did['@context'], ...document } };
    const context = dataIntegrityContext.contexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    throw new Error(`offline: no document for ${url}`);
  };
}

/** eddsa-jcs-2022 by hand from independent parts: RFC 8785 `canonicalize`, SHA-256, `tweetnacl`. */
export function verifyWithTweetnacl(envelope: Envelope, did: DidDocument): boolean {
  const { proof, ...document } = envelope;
  const { proofValue, ...options } = proof;
  const method = did.verificationMethod.find((m) => m.id === options.verificationMethod);
  if (!method || !did.assertionMethod?.includes(method.id)) return false;
  const key = base58btc(method.publicKeyMultibase);
  if (key[0] !== 0xed || key[1] !== 0x01 || key.length !== 34) throw new Error(`${method.id} is not an Ed25519 Multikey`);
  const sha256 = (value: unknown) => createHash('sha256').update(canonicalize(value) ?? '', 'utf8').digest();
  const data = Buffer.concat([sha256(options), sha256(document)]);
  return nacl.sign.detached.verify(data, base58btc(proofValue), key.subarray(2));
}

// A CommonJS function whose declaration file is written as an ES module's default export.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Decodes a multibase `z…` (base58btc) string. */
function base58btc(text: string): Uint8Array {
  if (!text.startsWith('z')) throw new Error(`not base58btc multibase: ${text}`);
  let number = 0n;
  for (const char of text.slice(1)) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) throw new Error(`not base58: ${char}`);
    number = number * 58n + BigInt(digit);
  }
  const hex = number === 0n ? '' : number.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const zeros = text.slice(1).length - text.slice(1).replace(/^1+/, '').length;
  return new Uint8Array([...new Uint8Array(zeros), ...body]);
}

function expectAttribute(attrs: { name: string; value: string }[], name: string, value: string, where: string): void {
  const actual = attrs.find((a) => a.name === name)?.value;
  if (actual !== value) throw new Error(`${where}: the envelope's script has ${name}=${JSON.stringify(actual)}, not ${JSON.stringify(value)}`);
}
