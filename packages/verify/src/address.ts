// Which hosts a verifier may fetch a DID document from (spec §3.2): an envelope names the host, so
// whoever wrote it must not be able to make the verifier reach loopback, private or link-local
// addresses unless its user allows them. Literal addresses are checked here, anywhere; names that
// resolve to such addresses are checked in Node by node.ts before it connects.

export type AddressKind = 'loopback' | 'private' | 'link-local' | 'unspecified'

/** What kind of non-public address `host` (a URL host: name, IPv4, or [IPv6]) is, or undefined when public. */
export function addressKind(host: string): AddressKind | undefined {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback'
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)
  if (v4) return ipv4Kind(v4.slice(1).map(Number) as [number, number, number, number])
  if (!name.includes(':')) return undefined
  const mapped = /^::ffff:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)
  if (mapped) return ipv4Kind(mapped.slice(1).map(Number) as [number, number, number, number])
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(name)
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)]
    return ipv4Kind([hi >> 8, hi & 255, lo >> 8, lo & 255])
  }
  if (name === '::1') return 'loopback'
  if (name === '::') return 'unspecified'
  const first = parseInt(name.split(':')[0] || '0', 16)
  if ((first & 0xfe00) === 0xfc00) return 'private'
  if ((first & 0xffc0) === 0xfe80) return 'link-local'
  return undefined
}

function ipv4Kind([a, b]: [number, number, number, number]): AddressKind | undefined {
  if (a === 127) return 'loopback'
  if (a === 0) return 'unspecified'
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private'
  if (a === 169 && b === 254) return 'link-local'
  return undefined
}

/** Why fetching from `host` is refused, or undefined when it is allowed. */
export function refusedHost(host: string, options: { allowHttpLoopback?: boolean; allowPrivateAddresses?: boolean }): string | undefined {
  const kind = addressKind(host.replace(/:\d+$/, ''))
  if (kind === undefined || options.allowPrivateAddresses) return undefined
  if (kind === 'loopback' && options.allowHttpLoopback) return undefined
  const flag = kind === 'loopback' ? 'allowHttpLoopback (signet verify --allow-http-loopback)' : 'allowPrivateAddresses (signet verify --allow-private-addresses)'
  return `${host} is a ${kind} address, which a verifier does not contact unless allowed (${flag})`
}
