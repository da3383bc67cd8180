/**
 * dnsmasq's DHCP and TFTP lines (tags `dnsmasq`, `dnsmasq-dhcp`, `dnsmasq-tftp`). The TFTP
 * side logs no request line: `sent PATH to IP` once a file was served, `file PATH not found
 * for IP` when it was not, PATH being the full path under the TFTP root. The DHCP side logs
 * `TYPE(IFACE) [IP ]MAC[ NAME-or-REASON]`, with --log-dhcp the decimal xid first and the
 * details of each exchange (vendor class, options sent) on lines of their own.
 */
import { dhcpMessage, normaliseMac } from './dhcp-types.js';
import type { Groups, ServerLogRecogniser } from './recognisers.js';
import { TFTP_ERRORS } from '../tftp/errors.js';
import { clientAddress, num, req } from './recognisers.js';

const TFTP = 'dnsmasq src/tftp.c';
const DHCP = 'dnsmasq src/rfc2131.c log_packet';
const LOG_DHCP = 'dnsmasq src/rfc2131.c and src/dhcp-common.c (--log-dhcp)';
const START = 'dnsmasq src/dnsmasq.c';

/** The name a phone asked for, from the path dnsmasq logs; the root, when the log said it, is taken off by the parser. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function pathAndFile(g: Groups): { file: string; path: string } {
  const path = req(g, 'path');
  return { file: baseName(path), path };
}

/** `vendor class`, `client provides name`, `next server` as event details; the rest as logged. */
const DETAIL_NAMES: Readonly<Record<string, string>> = {
  'vendor class': 'vendor-class',
  'client provides name': 'host-name',
  'next server': 'next-server',
};

export const DNSMASQ_RECOGNISERS: readonly ServerLogRecogniser[] = [
  {
    id: 'dnsmasq-tftp-sent',
    program: 'dnsmasq',
    pattern: /^sent (?<path>.+) to (?<client>\S+)$/,
    make: (g) => ({ kind: 'finished', client: clientAddress(req(g, 'client')), ...pathAndFile(g) }),
    source: `${TFTP}: "sent %s to %s"`,
  },
  {
    // Before 2.77 the line ends after "not found".
    id: 'dnsmasq-tftp-not-found',
    program: 'dnsmasq',
    pattern: /^file (?<path>.+?) not found(?: for (?<client>\S+))?$/,
    make: (g) => ({
      kind: 'not-found',
      code: TFTP_ERRORS.fileNotFound.code,
      ...pathAndFile(g),
      ...(g.client !== undefined ? { client: clientAddress(g.client) } : {}),
    }),
    source: `${TFTP}: "file %s not found for %s"`,
  },
  {
    id: 'dnsmasq-tftp-cannot-access',
    program: 'dnsmasq',
    pattern: /^cannot (?<verb>access|read) (?<path>.+): (?<text>[^:]+)$/,
    make: (g) => ({
      kind: 'error',
      ...pathAndFile(g),
      text: req(g, 'text'),
      ...(req(g, 'verb') === 'access' && /permission denied/i.test(req(g, 'text'))
        ? { code: TFTP_ERRORS.accessViolation.code }
        : {}),
    }),
    source: `${TFTP}: "cannot access %s: %s", "cannot read %s: %s"`,
  },
  {
    id: 'dnsmasq-tftp-peer-error',
    program: 'dnsmasq',
    pattern: /^error (?<code>\d+) (?<text>.*) received from (?<client>\S+)$/,
    make: (g) => ({
      kind: 'error',
      client: clientAddress(req(g, 'client')),
      code: num(g, 'code'),
      text: req(g, 'text'),
      fromPeer: true,
    }),
    source: `${TFTP}: "error %d %s received from %s"`,
  },
  {
    id: 'dnsmasq-tftp-failed',
    program: 'dnsmasq',
    pattern: /^(?:failed|timeout) sending (?<path>.+) to (?<client>\S+)$/,
    make: (g, message) => ({
      kind: 'error',
      client: clientAddress(req(g, 'client')),
      ...pathAndFile(g),
      text: message,
    }),
    source: `${TFTP}: "failed sending %s to %s", "timeout sending %s to %s"`,
  },
  {
    id: 'dnsmasq-tftp-bad-request',
    program: 'dnsmasq',
    pattern: /^(?:unsupported (?:write )?request|empty filename in request) from (?<client>\S+)$/,
    make: (g, message) => ({
      kind: 'error',
      client: clientAddress(req(g, 'client')),
      code: TFTP_ERRORS.illegalOperation.code,
      text: message,
    }),
    source: `${TFTP}: "unsupported request from %s"`,
  },
  {
    id: 'dnsmasq-tftp-root',
    program: 'dnsmasq',
    pattern: /^TFTP root is (?<root>\S+)/,
    make: (g) => ({ kind: 'server-start', tftpRoot: req(g, 'root') }),
    source: `${START}: "TFTP %s%s %s %s"`,
  },
  {
    id: 'dnsmasq-started',
    program: 'dnsmasq',
    pattern: /^started, version (?<version>\S+)/,
    make: (g) => ({ kind: 'server-start', version: req(g, 'version') }),
    source: `${START}: "started, version %s %s"`,
  },
  {
    id: 'dnsmasq-dhcp-packet',
    program: 'dnsmasq',
    pattern:
      /^(?:(?<xid>\d+) )?(?<type>DHCP[A-Z]+|BOOTP|PXE|NOANSWER)\((?<via>[^)\s]+)\)(?: (?<ip>\d{1,3}(?:\.\d{1,3}){3}))?(?: (?<mac>[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5,}))?(?: (?<text>.*))?$/,
    make: (g) => {
      const known = dhcpMessage(req(g, 'type'));
      if (!known) return { kind: 'info' };
      const text = g.text?.trim();
      const named = known.messageType === 'ack' || known.messageType === 'offer';
      return {
        kind: 'dhcp',
        ...known,
        via: req(g, 'via'),
        ...(g.xid !== undefined ? { xid: num(g, 'xid') } : {}),
        ...(g.ip !== undefined ? { ip: g.ip } : {}),
        ...(g.mac !== undefined ? { mac: normaliseMac(g.mac) } : {}),
        ...(text ? (named ? { hostname: text } : { reason: text }) : {}),
      };
    },
    source: `${DHCP}: "%s(%s) %s%s%s%s%s%s"`,
  },
  {
    id: 'dnsmasq-dhcp-option-sent',
    program: 'dnsmasq',
    pattern: /^(?<xid>\d+) sent size: *\d+ option: *(?<option>\d+) (?:(?<name>\S+) +)?(?<value>.*)$/,
    make: (g) => ({
      kind: 'dhcp-detail',
      xid: num(g, 'xid'),
      detail: 'option',
      option: num(g, 'option'),
      value: req(g, 'value').trim(),
    }),
    source: `${LOG_DHCP}: log_options "%u sent size:%3d option:%3d %s  %s"`,
  },
  {
    id: 'dnsmasq-dhcp-detail',
    program: 'dnsmasq',
    pattern:
      /^(?<xid>\d+) (?<detail>available DHCP range|available DHCP subnet|vendor class|user class|client provides name|tags|requested options|bootfile name|server name|next server|reply delay|broadcast response)(?:: ?(?<value>.*))?$/,
    make: (g) => {
      const detail = req(g, 'detail');
      return {
        kind: 'dhcp-detail',
        xid: num(g, 'xid'),
        detail: DETAIL_NAMES[detail] ?? detail,
        value: (g.value ?? '').trim(),
      };
    },
    source: LOG_DHCP,
  },
  {
    // Start-up, shut-down and notes that say nothing about a phone.
    id: 'dnsmasq-note',
    program: 'dnsmasq',
    pattern:
      /^(?:compile time options: |DHCP, |DHCPv6|exiting on receipt of |read \S+ - \d+ |reading \S+|using (?:nameserver|local addresses|only locally)|no servers found|cleared cache|asynchronous logging|warning: |restricting maximum simultaneous TFTP|unable to get free port for TFTP|ignoring packet from |no address range available for DHCP request|DHCP packet received on |not using configured address|disabling DHCP static address|abandoning lease|cannot send DHCP\/BOOTP option|query\[\w+\] |forwarded |reply |cached |config |(?:\d+ )?(?:DHCP|BOOTP) subnet: )/,
    make: () => ({ kind: 'info' }),
    source: `${START}, ${DHCP}`,
  },
];
