import {
  checkEnvelopeRules, createdProblem, CRYPTOSUITE, findSigningKey, hostOfDid, multibaseDecode, urlInDidScope, verifyDocumentProof,
} from '@signet/sign'
import type { Proof } from '@signet/sign'
import { parseSignedJson, valueDepth } from './json.js'
import { MAX_ENVELOPE_TEXT_BYTES, MAX_JSON_DEPTH } from './limits.js'
import { createDidResolver } from './resolver.js'
import type { SignedFields } from './compare.js'
import { result } from './types.js'
import type { VerifyOptions, VerifyResult } from './types.js'

const PROOF_MEMBERS = ['type', 'cryptosuite', 'created', 'verificationMethod', 'proofPurpose', 'proofValue']
const UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

/**
 * Checks one envelope (JSON text, or an already-parsed value) by the procedure of spec §8.3,
 * steps 2–8: parse, rules, domain, DID document, key, backdating, signature.
 */
export async function verifyEnvelope(envelope: unknown, options: VerifyOptions = {}): Promise<VerifyResult> {
  return (await checkEnvelope(envelope, options)).result
}

/** verifyEnvelope, also returning the parsed envelope once it is known to be well-formed. */
export async function checkEnvelope(envelope: unknown, options: VerifyOptions): Promise<{ result: VerifyResult; value?: SignedFields }> {
  const value = parse(envelope)
  if ('status' in value) return { result: value }
  const checked = await checkParsed(value.parsed, options)
  return checked.status === 'malformed' ? { result: checked } : { result: checked, value: value.parsed as SignedFields }
}

function parse(envelope: unknown): VerifyResult | { parsed: unknown } {
  if (typeof envelope === 'string') {
    try {
      return { parsed: parseSignedJson(envelope, 'envelope', MAX_ENVELOPE_TEXT_BYTES) }
    } catch (error) {
      return result('malformed', [capitalize((error as Error).message) + '.'])
    }
  }
  if (valueDepth(envelope) > MAX_JSON_DEPTH) return result('malformed', [`The envelope nests deeper than ${MAX_JSON_DEPTH} levels.`])
  return { parsed: envelope }
}

async function checkParsed(value: unknown, options: VerifyOptions): Promise<VerifyResult> {
  const record = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>
  // The proof is checked here rather than by checkEnvelopeRules: a key that is not did:web is a
  // domain mismatch (spec §8.4), not a malformed envelope.
  const { proof, ...body } = record
  const problems = record === value ? checkEnvelopeRules(body) : checkEnvelopeRules(value)
  problems.push(...checkProof(proof))
  const created = problems.length === 0 ? createdProblem(record) : undefined
  if (created) problems.push(created)
  const url = typeof record.url === 'string' ? record.url : undefined
  if (problems.length > 0) return result('malformed', problems, url === undefined ? {} : { url })

  const signed = value as { id: string; url: string; proof: Proof }
  const keyId = signed.proof.verificationMethod
  const did = keyId.slice(0, keyId.indexOf('#'))
  const base = { keyId, created: signed.proof.created, url: signed.url }
  let domain: string
  try {
    domain = hostOfDid(did)
  } catch (error) {
    return result('domain mismatch', [`The signing key ${keyId} is not a did:web key: ${(error as Error).message}.`], base)
  }
  const at = { ...base, domain }
  const mismatch = domainProblems(signed, did, domain, options)
  if (mismatch.length > 0) return result('domain mismatch', mismatch, at)

  const resolver = options.resolver ?? createDidResolver(options)
  const resolved = await resolver.resolve(did)
  if (!resolved.ok) return result(resolved.malformed ? 'malformed' : 'unknown key', [capitalize(resolved.reason) + '.'], at)
  const withKeys = { ...at, keySource: resolved.source }
  const key = findSigningKey(resolved.document, keyId, signed.proof.created, options.firstSeen?.(signed.id))
  if (key.status !== 'usable') return result(key.status, [capitalize(key.reason) + '.'], withKeys)

  const good = verifyDocumentProof(signed, key.publicKey, { verify: options.ed25519Verify, sha256: options.sha256 })
  if (!good) return result('bad signature', [`The signature does not verify with ${keyId}: the envelope was changed after signing, or another key signed it.`], withKeys)
  return result('verified', [`Signed by ${keyId} on ${signed.proof.created}; key from ${resolved.source}.`], withKeys)
}

function checkProof(proof: unknown): string[] {
  if (proof === undefined) return ['"proof" is missing.']
  if (typeof proof !== 'object' || proof === null || Array.isArray(proof)) return ['"proof" must be an object.']
  const p = proof as Record<string, unknown>
  const problems: string[] = []
  for (const key of Object.keys(p)) if (!PROOF_MEMBERS.includes(key)) problems.push(`"proof.${key}" is not a proof member.`)
  for (const key of PROOF_MEMBERS) if (typeof p[key] !== 'string') problems.push(`"proof.${key}" must be a string.`)
  if (problems.length > 0) return problems
  if (p.type !== 'DataIntegrityProof') problems.push(`"proof.type" is ${JSON.stringify(p.type)}; it must be "DataIntegrityProof".`)
  if (p.cryptosuite !== CRYPTOSUITE) problems.push(`"proof.cryptosuite" is ${JSON.stringify(p.cryptosuite)}; it must be "${CRYPTOSUITE}".`)
  if (p.proofPurpose !== 'assertionMethod') problems.push(`"proof.proofPurpose" is ${JSON.stringify(p.proofPurpose)}; it must be "assertionMethod".`)
  const created = p.created as string
  if (!UTC_SECONDS.test(created) || Number.isNaN(Date.parse(created))) problems.push(`"proof.created" must be a UTC date in whole seconds ending in Z, got ${JSON.stringify(created)}.`)
  const method = p.verificationMethod as string
  if (!/^did:[a-z0-9]+:[^#]+#[A-Za-z0-9._-]+$/.test(method)) problems.push(`"proof.verificationMethod" must be a DID URL such as did:web:example.com#key-1, got ${JSON.stringify(method)}.`)
  try {
    const bytes = multibaseDecode(p.proofValue as string)
    if (bytes.length !== 64) problems.push(`"proof.proofValue" decodes to ${bytes.length} bytes; an Ed25519 signature has 64.`)
  } catch (error) {
    problems.push(`"proof.proofValue" is not base58btc multibase: ${(error as Error).message}.`)
  }
  return problems
}

function domainProblems(signed: { id: string; url: string }, did: string, domain: string, options: VerifyOptions): string[] {
  const problems: string[] = []
  for (const field of ['url', 'id'] as const) {
    if (!urlInDidScope(signed[field], did)) problems.push(`The envelope's ${field} ${signed[field]} is not on ${domain}, the domain of the signing key ${did}.`)
  }
  if (options.expectedDomain !== undefined && options.expectedDomain !== domain) {
    problems.push(`The post is signed for ${domain}, but it was checked as part of ${options.expectedDomain}.`)
  }
  const source = webUrl(options.sourceUrl)
  if (source && source.host !== domain) {
    problems.push(`The post was found at ${source.host} (${source.href}), but it is signed for ${domain}.`)
  }
  return problems
}

function webUrl(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
