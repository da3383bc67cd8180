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

/** Rows grouped by the server of their `part` (a DHCP reply, a TFTP request), each with that part; rows without one left out. */
function byServer<T extends { readonly server: string }>(
  rows: readonly TimelineEntry[],
  part: (row: TimelineEntry) => T | undefined,
): Map<string, { readonly row: TimelineEntry; readonly part: T }[]> {
  const servers = new Map<string, { readonly row: TimelineEntry; readonly part: T }[]>();
  for (const row of rows) {
    const found = part(row);
    if (found) servers.set(found.server, [...(servers.get(found.server) ?? []), { row, part: found }]);
  }
  return servers;
}

function dhcpText(rows: readonly TimelineEntry[]): string[] {
  const servers = byServer<DhcpServerReply>(rows, (row) => row.dhcpReply);
  if (servers.size === 0) return ['  no DHCP reply to this phone in the capture'];
  return [...servers.entries()].flatMap(([server, replies]) => {
    // Replies that say the same are shown once, with their types, times and frames.
    const groups = new Map<string, { readonly lines: string[]; readonly seen: string[] }>();
    for (const { row, part: reply } of replies) {
      const lines = hintLines(reply.message);
      const key = JSON.stringify(lines);
      const group = groups.get(key) ?? { lines, seen: [] };
      const address = yourAddress(reply.message);
      group.seen.push(`${reply.type}${address ? ` ${address}` : ''} ${shortTime(row.time)} frame ${row.frame ?? '?'}`);
      groups.set(key, group);
    }
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}${groups.size > 1 ? `, saying ${groups.size} different things` : ''}`)}`,
      ...[...groups.values()].flatMap((group) => [
        `    ${plain(group.seen.join('; '))}`,
        ...group.lines.map((l) => plain(l)),
      ]),
    ];
  });
}

function tftpText(rows: readonly TimelineEntry[]): string[] {
  const servers = byServer(rows, (row) => row.request);
  if (servers.size === 0) return ['  no TFTP request from this phone in the capture'];
  return [...servers.entries()].flatMap(([server, requests]) => {
    const complete = requests.filter((r) => r.part.answer === 'found').length;
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${requests.length} request${requests.length === 1 ? '' : 's'}, ${complete} complete`)}`,
      ...requests.map(({ row, part: request }) => {
        const line = `    ${shortTime(row.time)} ${rowParts(row).lead}`;
        return request.answer === 'found' ? plain(line) : coloured('red', plain(line));
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
