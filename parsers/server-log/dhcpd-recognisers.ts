/**
 * ISC dhcpd (tag `dhcpd`) and Kea DHCPv4 (`kea-dhcp4`) lines. dhcpd writes one line per
 * message (`DHCPDISCOVER from MAC via IF`, `DHCPOFFER on IP to MAC (NAME) via IF`, a reason
 * after `: ` when it does not answer); Kea one line per step, each labelled with the client
 * (`[hwtype=1 MAC], cid=[…], tid=0x…`).
 */
import { dhcpMessage, normaliseMac } from './dhcp-types.js';
import type { DhcpMessageType, ServerLogPayload } from './events.js';
import type { Groups, ServerLogRecogniser } from './recognisers.js';
import { req } from './recognisers.js';

const DHCPD = 'ISC DHCP server/dhcp.c';
const KEA = 'Kea src/bin/dhcp4/dhcp4_messages.mes';

const IP = '\\d{1,3}(?:\\.\\d{1,3}){3}';
const MAC = '[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5,}';
/** ` (client-hostname)` after the MAC, once the lease has a name. */
const NAME = '(?: \\((?<hostname>[^)]*)\\))?';
/** `via IF` or `via RELAY`, then `: reason` when the server did not answer. */
const VIA_REASON = 'via (?<via>\\S+?)(?:: (?<reason>.+))?';

function dhcpdEvent(g: Groups, name: string): ServerLogPayload {
  const known = dhcpMessage(name);
  if (!known) return { kind: 'info' };
  return {
    kind: 'dhcp',
    ...known,
    ...(g.ip !== undefined ? { ip: g.ip } : {}),
    ...(g.mac !== undefined ? { mac: normaliseMac(g.mac) } : {}),
    ...(g.via !== undefined ? { via: g.via } : {}),
    ...(g.server !== undefined ? { serverId: g.server } : {}),
    ...(g.hostname !== undefined ? { hostname: g.hostname } : {}),
    ...(g.reason !== undefined ? { reason: g.reason.replace(/\.$/, '') } : {}),
  };
}

/** Kea's client label: `[hwtype=1 00:11:22:33:44:55], cid=[…], tid=0x1a2b3c4d`. */
const LABEL = '\\[hwtype=\\d+ (?<mac>[0-9a-fA-F:]*)\\], cid=\\[[^\\]]*\\], tid=0x(?<xid>[0-9a-fA-F]+)';

function keaEvent(g: Groups, action: 'received' | 'sent', messageType: DhcpMessageType | undefined): ServerLogPayload {
  const mac = g.mac ? normaliseMac(g.mac) : undefined;
  return {
    kind: 'dhcp',
    action,
    ...(messageType !== undefined ? { messageType } : {}),
    ...(mac ? { mac } : {}),
    xid: parseInt(req(g, 'xid'), 16),
    ...(g.ip !== undefined ? { ip: g.ip } : {}),
    ...(g.via !== undefined ? { via: g.via } : {}),
    ...(g.reason !== undefined ? { reason: g.reason } : {}),
  };
}

export const DHCPD_RECOGNISERS: readonly ServerLogRecogniser[] = [
  {
    id: 'dhcpd-discover',
    program: 'isc-dhcpd',
    pattern: new RegExp(`^(?:DHCP4o6 )?(?<type>DHCPDISCOVER|BOOTREQUEST) from (?<mac>${MAC})${NAME} ${VIA_REASON}$`),
    make: (g) => dhcpdEvent(g, req(g, 'type')),
    source: `${DHCPD}: "DHCPDISCOVER from %s %s%s%svia %s"`,
  },
  {
    id: 'dhcpd-reply',
    program: 'isc-dhcpd',
    pattern: new RegExp(
      `^(?:DHCP4o6 )?(?<type>DHCPOFFER|DHCPACK|BOOTREPLY|DHCPNAK) on (?<ip>${IP}) to (?<mac>${MAC})${NAME} via (?<via>\\S+)$`,
    ),
    make: (g) => dhcpdEvent(g, req(g, 'type')),
    source: `${DHCPD}: "DHCPOFFER on %s to %s %s%s%svia %s", "DHCPNAK on %s to %s via %s"`,
  },
  {
    id: 'dhcpd-request',
    program: 'isc-dhcpd',
    pattern: new RegExp(
      `^(?:DHCP4o6 )?DHCPREQUEST for (?<ip>${IP})(?: \\((?<server>${IP})\\))? from (?<mac>${MAC})${NAME} ${VIA_REASON}$`,
    ),
    make: (g) => dhcpdEvent(g, 'DHCPREQUEST'),
    source: `${DHCPD}: "DHCPREQUEST for %s%s from %s %s%s%svia %s"`,
  },
  {
    id: 'dhcpd-decline-release',
    program: 'isc-dhcpd',
    pattern: new RegExp(
      `^(?<type>DHCPDECLINE|DHCPRELEASE) of (?<ip>${IP}) from (?<mac>${MAC})${NAME} via (?<via>\\S+?)(?:: (?<reason>.+)| \\((?:not )?found\\))?$`,
    ),
    make: (g) => dhcpdEvent(g, req(g, 'type')),
    source: `${DHCPD}: "DHCPDECLINE of %s from %s %s%s%svia %s", "DHCPRELEASE of %s from ..."`,
  },
  {
    id: 'dhcpd-inform',
    program: 'isc-dhcpd',
    pattern: new RegExp(`^DHCPINFORM from (?<ip>${IP}) via (?<via>\\S+)$`),
    make: (g) => dhcpdEvent(g, 'DHCPINFORM'),
    source: `${DHCPD}: "DHCPINFORM from %s via %s"`,
  },
  {
    id: 'dhcpd-inform-ack',
    program: 'isc-dhcpd',
    pattern: new RegExp(`^DHCPACK to (?<ip>${IP}) \\((?<mac>${MAC})\\) via (?<via>\\S+)$`),
    make: (g) => dhcpdEvent(g, 'DHCPACK'),
    source: `${DHCPD}: "DHCPACK to %s (%s) via"`,
  },
  {
    id: 'dhcpd-note',
    program: 'isc-dhcpd',
    pattern:
      /^(?:Internet Systems Consortium DHCP Server|Copyright \d|All rights reserved|For info, please visit|Config file: |Database file: |PID file: |Wrote \d+ (?:deleted host decls|new dynamic host decls|leases) |Listening on |Sending on |Server starting service|Abandoning IP address |Packet from unknown subnet|uid lease |reuse_lease: |Source compiled to use binary-leases|No subnet declaration for |Not configured to listen on any interfaces|exiting\.?$)/,
    make: () => ({ kind: 'info' }),
    source: `${DHCPD}, server/dhcpd.c`,
  },
  // Kea: the message ID first, then its text (the frame is taken off by the envelope).
  {
    id: 'kea-packet-received',
    program: 'kea',
    pattern: new RegExp(
      `^DHCP4_PACKET_RECEIVED ${LABEL}: (?<type>DHCP[A-Z]+) \\(type \\d+\\) received from \\S+ to \\S+ on interface (?<via>\\S+)$`,
    ),
    make: (g) => keaEvent(g, 'received', dhcpMessage(req(g, 'type'))?.messageType),
    source: `${KEA}: DHCP4_PACKET_RECEIVED`,
  },
  {
    id: 'kea-packet-send',
    program: 'kea',
    pattern: new RegExp(
      `^DHCP4_PACKET_SEND ${LABEL}: trying to send packet (?<type>DHCP[A-Z]+) \\(type \\d+\\) from \\S+ to \\S+ on interface (?<via>\\S+)$`,
    ),
    make: (g) => keaEvent(g, 'sent', dhcpMessage(req(g, 'type'))?.messageType),
    source: `${KEA}: DHCP4_PACKET_SEND`,
  },
  {
    id: 'kea-lease-offer',
    program: 'kea',
    pattern: new RegExp(`^DHCP4_LEASE_(?:OFFER|ADVERT) ${LABEL}: lease (?<ip>${IP}) will be (?:offered|advertised)$`),
    make: (g) => keaEvent(g, 'sent', 'offer'),
    source: `${KEA}: DHCP4_LEASE_OFFER (DHCP4_LEASE_ADVERT before Kea 2.5)`,
  },
  {
    id: 'kea-lease-alloc',
    program: 'kea',
    pattern: new RegExp(`^DHCP4_LEASE_ALLOC ${LABEL}: lease (?<ip>${IP}) has been allocated(?: for \\d+ seconds)?$`),
    make: (g) => keaEvent(g, 'sent', 'ack'),
    source: `${KEA}: DHCP4_LEASE_ALLOC`,
  },
  {
    id: 'kea-nak',
    program: 'kea',
    pattern: new RegExp(`^DHCP4_PACKET_NAK_\\d+ ${LABEL}: (?<reason>.+)$`),
    make: (g) => keaEvent(g, 'sent', 'nak'),
    source: `${KEA}: DHCP4_PACKET_NAK_0001 … 0004`,
  },
  {
    id: 'kea-no-lease',
    program: 'kea',
    pattern: new RegExp(`^(?:ALLOC_ENGINE_V4_ALLOC_FAIL\\w*|DHCP4_SUBNET_SELECTION_FAILED) ${LABEL}: (?<reason>.+)$`),
    make: (g) => keaEvent(g, 'received', undefined),
    source: 'Kea src/lib/dhcpsrv/alloc_engine_messages.mes: ALLOC_ENGINE_V4_ALLOC_FAIL',
  },
  {
    // Any other Kea message: read, with nothing in it about a phone's exchange.
    id: 'kea-note',
    program: 'kea',
    pattern: /^[A-Z][A-Z0-9]*_[A-Z0-9_]+ /,
    make: () => ({ kind: 'info' }),
    source: 'Kea src/lib/log: "%m" is MESSAGE_ID then its text',
  },
];
