/** ICMP (RFC 792) destination unreachable: the only ICMP message this decoder delivers. */

export const ICMP_DESTINATION_UNREACHABLE = 3;

/** Code names, RFC 792 (0-5) and RFC 1122 / RFC 1812 (6-15). */
const UNREACHABLE_CODE_NAMES: readonly string[] = [
  'network unreachable',
  'host unreachable',
  'protocol unreachable',
  'port unreachable',
  'fragmentation needed and DF set',
  'source route failed',
  'destination network unknown',
  'destination host unknown',
  'source host isolated',
  'network administratively prohibited',
  'host administratively prohibited',
  'network unreachable for type of service',
  'host unreachable for type of service',
  'communication administratively prohibited',
  'host precedence violation',
  'precedence cutoff in effect',
];

export function unreachableCodeName(code: number): string {
  return UNREACHABLE_CODE_NAMES[code] ?? `code ${code}`;
}
