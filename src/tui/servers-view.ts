/**
 * The servers behind the shown phone's traffic, at a glance: each DHCP server that answered
 * it and where each reply sends the phone for TFTP (options 66, 150 and 67, siaddr, sname,
 * file), and each TFTP server it asked, with every request and its outcome.
 */
import type { DhcpMessage } from '../../parsers/dhcp/decode.js';
import type { DhcpServerReply } from '../../parsers/dhcp/exchanges.js';
import {
  bootFileField,
  bootfileName,
  nextServerAddress,
  serverHostName,
  tftpServerAddresses,
  tftpServerName,
  yourAddress,
} from '../../parsers/dhcp/fields.js';
import type { TimelineEntry } from '../engine/analysis.js';
import { coloured, plain, shortTime } from './markup.js';
import { rowParts } from './rows-pane.js';
import type { TuiState } from './state.js';
import { currentPhone } from './view-model.js';

const NONE = '—';

function hintLines(message: DhcpMessage): string[] {
  const line = (label: string, value: string | undefined): string =>
    `      ${label.padEnd(11)}${value === undefined || value === '' ? NONE : value}`;
  const sname = serverHostName(message);
  const file = bootFileField(message);
  return [
    line('option 66', tftpServerName(message)),
    line('option 150', tftpServerAddresses(message)?.join(', ')),
    line('siaddr', nextServerAddress(message)),
    line('option 67', bootfileName(message)),
    ...(sname ? [line('sname', sname)] : []),
    ...(file ? [line('file', file)] : []),
  ];
}

/** A timeline entry that is a DHCP reply, with the reply. */
interface ShownReply {
  readonly entry: TimelineEntry;
  readonly reply: DhcpServerReply;
}

function dhcpText(rows: readonly TimelineEntry[]): string[] {
  const byServer = new Map<string, ShownReply[]>();
  for (const entry of rows)
    if (entry.dhcpReply) {
      const reply = entry.dhcpReply;
      byServer.set(reply.server, [...(byServer.get(reply.server) ?? []), { entry, reply }]);
    }
  if (byServer.size === 0) return ['  no DHCP reply to this phone in the capture'];
  return [...byServer.entries()].flatMap(([server, replies]) => {
    // Replies that say the same are shown once, with their types, times and frames.
    const groups = new Map<string, { lines: string[]; members: ShownReply[] }>();
    for (const r of replies) {
      const lines = hintLines(r.reply.message);
      const key = JSON.stringify(lines);
      const group = groups.get(key);
      if (group) group.members.push(r);
      else groups.set(key, { lines, members: [r] });
    }
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}${groups.size > 1 ? `, saying ${groups.size} different things` : ''}`)}`,
      ...[...groups.values()].flatMap(({ lines, members }) => [
        `    ${plain(members.map(({ entry, reply }) => `${reply.type}${yourAddress(reply.message) ? ` ${yourAddress(reply.message)}` : ''} ${shortTime(entry.time)} frame ${entry.frame ?? '?'}`).join('; '))}`,
        ...lines.map((l) => plain(l)),
      ]),
    ];
  });
}

function tftpText(rows: readonly TimelineEntry[]): string[] {
  const byServer = new Map<string, TimelineEntry[]>();
  for (const e of rows) if (e.request) byServer.set(e.request.server, [...(byServer.get(e.request.server) ?? []), e]);
  if (byServer.size === 0) return ['  no TFTP request from this phone in the capture'];
  return [...byServer.entries()].flatMap(([server, requests]) => {
    const complete = requests.filter((e) => e.request!.answer === 'found').length;
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${requests.length} request${requests.length === 1 ? '' : 's'}, ${complete} complete`)}`,
      ...requests.map((e) => {
        const line = `    ${shortTime(e.time)} ${rowParts(e).lead}`;
        return e.request!.answer === 'found' ? plain(line) : coloured('red', plain(line));
      }),
    ];
  });
}

export function serversText(state: TuiState): string {
  const timeline = currentPhone(state)?.timeline;
  if (!timeline) return 'No phone yet.';
  return [
    '{bold}DHCP servers that answered the phone{/bold}',
    ...dhcpText(timeline),
    '',
    '{bold}TFTP servers the phone asked{/bold}',
    ...tftpText(timeline),
  ].join('\n');
}
