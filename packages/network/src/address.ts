import ipaddr from 'ipaddr.js'

/** Which addresses the fetcher may connect to. By default only public unicast addresses. */
export interface AddressPolicy {
  /** Allow private, loopback and link-local addresses too (tests, intranets). */
  allowPrivateNetwork?: boolean
  /** Exact addresses allowed although not public (a test server), without opening the rest. */
  allowAddresses?: readonly string[]
}

/**
 * True when `ip` is a public unicast address, or the policy opens it. IPv4-mapped IPv6 addresses are
 * judged as the IPv4 address they carry, so `::ffff:127.0.0.1` is loopback.
 */
export function addressAllowed(ip: string, policy: AddressPolicy): boolean {
  if (policy.allowPrivateNetwork === true) return true
  if (!ipaddr.isValid(ip)) return false
  const parsed = ipaddr.process(ip)
  if (policy.allowAddresses?.some((a) => ipaddr.isValid(a) && ipaddr.process(a).toString() === parsed.toString())) return true
  return parsed.range() === 'unicast'
}

/** The address part of a URL host when it is an IP literal (`[::1]` → `::1`), else undefined. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  return ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? bare : undefined
}
