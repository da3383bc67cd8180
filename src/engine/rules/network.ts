/**
 * DHCP and reaching the TFTP server: what the capture's DHCP exchanges and the phone's
 * unanswered requests show (diagnoses.md, "DHCP and reaching the TFTP server").
 */
import { formatTimestamp, timestampSeconds } from '../../../parsers/capture/frame.js';
import type { DhcpExchange, DhcpServerReply } from '../../../parsers/dhcp/exchanges.js';
import {
  namesTftpServer,
  nextServerAddress,
  serverIdentifier,
  serverMessage,
  tftpServerAddresses,
  tftpServerName,
  tftpServersNamedByAddress,
  yourAddress,
} from '../../../parsers/dhcp/fields.js';
import type { Evidence } from '../../findings/finding.js';
import type { LoggedDhcpExchange } from '../logged-dhcp.js';
import type { TimedDhcpMessage } from '../model.js';
import { catalogFinding } from '../../findings/catalog-finding.js';
import { imageLabel } from '../../flows/phone.js';
import { protocolOf } from './context.js';
import type { PhoneContext, Rule, RuleFinding } from './context.js';

function describe(reply: DhcpServerReply): string {
  const { message } = reply;
  const address = yourAddress(message);
  const name = tftpServerName(message);
  const addresses = tftpServerAddresses(message);
  const nextServer = nextServerAddress(message);
  const parts = [
    address ? `address ${address}` : undefined,
    name !== undefined ? `option 66 "${name}"` : undefined,
    addresses?.length ? `option 150 ${addresses.join(',')}` : undefined,
    nextServer ? `siaddr ${nextServer}` : undefined,
  ].filter((p) => p !== undefined);
  return `${reply.type} from ${reply.server}: ${parts.join(', ') || 'no TFTP server named'}`;
}

function replyEvidence(file: string, reply: DhcpServerReply): Evidence {
  return { source: 'capture', file, frame: reply.frame, time: formatTimestamp(reply.time), text: describe(reply) };
}

function acceptedAck(x: DhcpExchange): DhcpServerReply | undefined {
  return x.outcome === 'acked'
    ? [...x.answers].reverse().find((a) => a.type === 'ACK' || a.type === 'BOOTREPLY')
    : undefined;
}

/** What a DHCP server's log holds when no capture holds the phone's exchanges (a log is a capture's stand-in, not a second witness). */
function loggedOnly(phone: PhoneContext['phone']): readonly LoggedDhcpExchange<TimedDhcpMessage>[] {
  return phone.exchanges.length === 0 ? phone.loggedDhcp : [];
}

function sent(x: LoggedDhcpExchange, type: 'offer' | 'ack' | 'nak'): TimedDhcpMessage[] {
  return x.messages.filter((m) => m.action === 'sent' && m.messageType === type);
}

/** dnsmasq's reason when the REQUEST named another server (rfc2131.c "wrong server-ID"): the phone took a rival's offer. */
const OTHER_SERVER_CHOSEN = /wrong server-?id/i;

/** A logged NAK that refused the phone (not one sent because it had chosen another server's offer). */
function phoneNaks(x: LoggedDhcpExchange): TimedDhcpMessage[] {
  return sent(x, 'ack').length ? [] : sent(x, 'nak').filter((m) => !OTHER_SERVER_CHOSEN.test(m.reason ?? ''));
}

function loggedEvidence(m: TimedDhcpMessage, what: string): Evidence {
  return { ...m.evidence, text: `${what}: ${m.evidence.text}` };
}

const dhcpNoOffer: Rule = ({ phone, ref, consoleErrors, damage }) => {
  const acked =
    phone.exchanges.some(({ exchange }) => exchange.outcome === 'acked') ||
    phone.loggedDhcp.some((x) => sent(x, 'ack').length > 0);
  if (acked) return [];
  // In a capture cut part-way, an OFFER may have come after the cut: only a DISCOVER sent again shows the first went unanswered.
  const cut = new Set(damage.filter((d) => d.source === 'capture' && d.damage.endsInput).map((d) => d.file));
  const unanswered = ({ file, exchange }: (typeof phone.exchanges)[number]): boolean =>
    exchange.outcome === 'no-offer' &&
    (!cut.has(file) || exchange.clientMessages.filter((m) => m.type === 'DISCOVER').length > 1);
  const evidence: Evidence[] = phone.exchanges.filter(unanswered).flatMap(({ file, exchange }) =>
    exchange.clientMessages
      .filter((m) => m.type === 'DISCOVER')
      .slice(0, 4)
      .map((m) => ({
        source: 'capture' as const,
        file,
        frame: m.frame,
        time: formatTimestamp(m.time),
        text: `DISCOVER from ${exchange.client}, no OFFER`,
      })),
  );
  // A server that logged the DISCOVER and sent nothing back; a phone that went on to ask for files had an address from elsewhere.
  if (phone.requests.length === 0) {
    evidence.push(
      ...loggedOnly(phone)
        .filter((x) => sent(x, 'offer').length === 0)
        .flatMap((x) =>
          x.messages
            .filter((m) => m.action === 'received' && m.messageType === 'discover')
            .slice(0, 4)
            .map((m) =>
              loggedEvidence(
                m,
                `DISCOVER from ${x.mac} logged by ${m.server}, no OFFER${m.reason ? ` (${m.reason})` : ''}`,
              ),
            ),
        ),
    );
  }
  evidence.push(...consoleErrors.filter((e) => e.code === 'DHCP_TIMEOUT').map((e) => e.evidence));
  return evidence.length
    ? [{ key: 'DHCP_NO_OFFER', finding: catalogFinding('DHCP_NO_OFFER', { phone: ref, evidence }) }]
    : [];
};

/** A NAK from the server whose offer the phone took, or one that ended the exchange (another server's NAK is DHCP_MULTIPLE_SERVERS'). */
function naks(exchange: DhcpExchange): DhcpServerReply[] {
  const chosen = new Set(
    exchange.clientMessages.flatMap((m) => (m.type === 'REQUEST' ? serverIdentifier(m.message) || [] : [])),
  );
  return exchange.answers.filter(
    (a) => a.type === 'NAK' && (exchange.outcome === 'nak' || chosen.size === 0 || chosen.has(a.server)),
  );
}

const dhcpNak: Rule = ({ phone, ref }) => {
  const evidence = phone.exchanges.flatMap(({ file, exchange }) =>
    naks(exchange).map((a) => ({
      ...replyEvidence(file, a),
      text: `NAK from ${a.server}${serverMessage(a.message) ? `: "${serverMessage(a.message)}"` : ''}`,
    })),
  );
  // A logged NAK in an exchange no server acknowledged (another server's NAK to a REQUEST for its rival's offer is DHCP_MULTIPLE_SERVERS').
  for (const x of loggedOnly(phone))
    evidence.push(
      ...phoneNaks(x).map((m) => loggedEvidence(m, `NAK from ${m.server}${m.reason ? `: "${m.reason}"` : ''}`)),
    );
  return evidence.length ? [{ key: 'DHCP_NAK', finding: catalogFinding('DHCP_NAK', { phone: ref, evidence }) }] : [];
};

const dhcpNoTftpServer: Rule = ({ phone, ref }) => {
  const out: RuleFinding[] = [];
  for (const { file, exchange } of phone.exchanges) {
    const ack = acceptedAck(exchange);
    if (!ack || namesTftpServer(ack.message)) continue;
    const after = timestampSeconds(ack.time);
    if (phone.requests.some((r) => r.time === undefined || r.time >= after)) continue;
    out.push({
      key: 'DHCP_NO_TFTP_SERVER',
      finding: catalogFinding('DHCP_NO_TFTP_SERVER', {
        phone: ref,
        evidence: [{ ...replyEvidence(file, ack), text: `${describe(ack)}; no TFTP request follows` }],
      }),
    });
  }
  return out.slice(0, 1);
};

/** A phone that runs SIP, or is being sent to SIP. */
function sipPhone(context: PhoneContext): boolean {
  return context.boots.some((b) => protocolOf(b) === 'SIP') || context.target?.image.protocol === 'SIP';
}

const sipNeedsOption66: Rule = (context) => {
  if (!sipPhone(context)) return [];
  const { phone, ref } = context;
  for (const { file, exchange } of phone.exchanges) {
    const ack = acceptedAck(exchange);
    if (!ack || tftpServerName(ack.message) || !tftpServerAddresses(ack.message)?.length) continue;
    const why =
      context.target?.image.protocol === 'SIP'
        ? `the phone is sent to ${imageLabel(context.target.image)}`
        : 'the phone runs SIP';
    return [
      {
        key: 'DHCP_SIP_NEEDS_OPTION_66',
        finding: catalogFinding('DHCP_SIP_NEEDS_OPTION_66', {
          phone: ref,
          evidence: [replyEvidence(file, ack)],
          detail: `Here ${why}.`,
        }),
      },
    ];
  }
  return [];
};

const tftpOptionsDisagree: Rule = ({ phone, ref }) => {
  const replies = phone.exchanges.flatMap(({ file, exchange }) =>
    [...exchange.offers, ...exchange.answers].map((reply) => ({ file, reply })),
  );
  const servers = new Set(replies.flatMap(({ reply }) => tftpServersNamedByAddress(reply.message)));
  if (servers.size < 2) return [];
  const evidence = replies
    .filter(({ reply }) => tftpServersNamedByAddress(reply.message).length)
    .map(({ file, reply }) => replyEvidence(file, reply));
  return [
    {
      key: 'DHCP_TFTP_OPTIONS_DISAGREE',
      finding: catalogFinding('DHCP_TFTP_OPTIONS_DISAGREE', {
        phone: ref,
        evidence,
        detail: `Servers named: ${[...servers].join(', ')}.`,
      }),
    },
  ];
};

/** Offers logged by two servers that differ (address offered): the log's own view of several DHCP servers. */
function loggedMultipleServers(phone: PhoneContext['phone'], ref: PhoneContext['ref']): RuleFinding[] {
  const exchanges = loggedOnly(phone);
  const offers = exchanges.flatMap((x) => sent(x, 'offer'));
  const byServer = new Map(offers.map((m) => [m.server, m.ip ?? ''] as const));
  if (byServer.size < 2 || new Set(byServer.values()).size < 2) return [];
  const otherNaks = exchanges
    .flatMap((x) => sent(x, 'nak').filter((m) => !phoneNaks(x).includes(m)))
    .map((m) => loggedEvidence(m, `NAK from ${m.server} to the REQUEST for another server's offer`));
  const evidence = [
    ...offers.map((m) => loggedEvidence(m, `OFFER from ${m.server}${m.ip ? `: ${m.ip}` : ''}`)),
    ...otherNaks,
  ];
  return [{ key: 'DHCP_MULTIPLE_SERVERS', finding: catalogFinding('DHCP_MULTIPLE_SERVERS', { phone: ref, evidence }) }];
}

const multipleServers: Rule = ({ phone, ref }) => {
  if (phone.exchanges.length === 0) return loggedMultipleServers(phone, ref);
  const offers = phone.exchanges.flatMap(({ file, exchange }) => exchange.offers.map((reply) => ({ file, reply })));
  const byServer = new Map<string, string>();
  for (const { reply } of offers)
    byServer.set(
      reply.server,
      `${yourAddress(reply.message)}|${tftpServersNamedByAddress(reply.message).join(',')}|${nextServerAddress(reply.message) ?? ''}`,
    );
  if (byServer.size < 2 || new Set(byServer.values()).size < 2) return [];
  const otherNaks = phone.exchanges.flatMap(({ file, exchange }) =>
    exchange.answers
      .filter((a) => a.type === 'NAK' && !naks(exchange).includes(a))
      .map((a) => ({
        ...replyEvidence(file, a),
        text: `NAK from ${a.server} to the REQUEST for another server's offer`,
      })),
  );
  return [
    {
      key: 'DHCP_MULTIPLE_SERVERS',
      finding: catalogFinding('DHCP_MULTIPLE_SERVERS', {
        phone: ref,
        evidence: [...offers.map(({ file, reply }) => replyEvidence(file, reply)), ...otherNaks],
      }),
    },
  ];
};

const serverUnreachable: Rule = ({ phone, ref, consoleErrors }) => {
  const silent = phone.requests.filter((r) => r.answer === 'no-answer');
  if (
    silent.length === 0 ||
    phone.requests.some(
      (r) => r.answer !== 'no-answer' && r.answer !== 'unknown' && r.evidence[0]?.source === 'capture',
    )
  )
    return [];
  const evidence = [
    ...silent.flatMap((r) => r.evidence),
    ...consoleErrors.filter((e) => e.code === 'TFTP_TIMEOUT').map((e) => e.evidence),
  ];
  const servers = [...new Set(silent.map((r) => r.transfer?.server).filter((s) => s !== undefined))];
  return [
    {
      key: 'TFTP_SERVER_UNREACHABLE',
      finding: catalogFinding('TFTP_SERVER_UNREACHABLE', {
        phone: ref,
        evidence,
        ...(servers.length ? { detail: `Server asked: ${servers.join(', ')}.` } : {}),
      }),
    },
  ];
};

/**
 * The seed's warning: converting from the server DHCP hands to every phone converts every
 * phone that reboots. Shown when the phone fetched a new image from a server DHCP also
 * handed to another host of the capture.
 */
const productionServer: Rule = ({ phone, ref, model, boots }) => {
  const fetched = boots.map((b) => b.fetched?.request).find((r) => r?.transfer);
  const server = fetched?.transfer?.server;
  const [first] = fetched?.evidence ?? [];
  if (!server || !first) return [];
  const others = new Set(
    model.allExchanges
      .filter(
        ({ exchange }) =>
          exchange.client.toLowerCase() !== phone.key &&
          exchange.answers.some((a) => a.type === 'ACK' && tftpServersNamedByAddress(a.message).includes(server)),
      )
      .map(({ exchange }) => exchange.client),
  );
  if (others.size === 0) return [];
  return [
    {
      key: 'TFTP_PRODUCTION_SERVER',
      finding: catalogFinding('TFTP_PRODUCTION_SERVER', {
        phone: ref,
        evidence: [
          first,
          {
            source: 'capture',
            file: first.file,
            text: `DHCP also names ${server} as TFTP server to ${[...others].slice(0, 5).join(', ')}${others.size > 5 ? ` and ${others.size - 5} more` : ''}`,
          },
        ],
      }),
    },
  ];
};

export const NETWORK_RULES: readonly Rule[] = [
  dhcpNoOffer,
  dhcpNak,
  dhcpNoTftpServer,
  sipNeedsOption66,
  tftpOptionsDisagree,
  multipleServers,
  serverUnreachable,
  productionServer,
];
