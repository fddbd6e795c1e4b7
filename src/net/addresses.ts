/**
 * Which network addresses an outbound call may reach. Only globally routable unicast addresses
 * pass: loopback, private (RFC 1918), carrier-grade NAT, link-local, unique-local, multicast,
 * broadcast, unspecified, reserved and documentation ranges are refused, for IPv4 and IPv6 alike.
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries, and
 * IPv6 ranges that embed or tunnel to IPv4 (NAT64, 6to4, Teredo) are refused, because the IPv4
 * address behind them is not ours to judge. The ranges come from `ipaddr.js`, which tracks the
 * IANA special-purpose registries.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The address's range name when it is refused, or null when it is public unicast. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** The host of a URL as an address when it is an IP literal (`[::1]` → `::1`), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}
