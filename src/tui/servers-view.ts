/**
 * The servers behind the shown phone's traffic, at a glance: each DHCP server that answered
 * it and where each reply sends the phone for TFTP (options 66, 150 and 67, siaddr, sname,
 * file), and each TFTP server it asked, with every request and its outcome.
 */
import type { TimelineDhcpReply, TimelineEntry } from '../engine/analysis.js';
import { coloured, plain, shortTime } from './markup.js';
import { rowParts } from './rows-pane.js';
import type { TuiState } from './state.js';
import { currentPhone } from './view-model.js';

const NONE = '—';

function hintLines(hints: TimelineDhcpReply['hints']): string[] {
  const line = (label: string, value: string | undefined): string =>
    `      ${label.padEnd(11)}${value === undefined || value === '' ? NONE : value}`;
  return [
    line('option 66', hints.option66?.replace(/\0+$/, '')),
    line('option 150', hints.option150?.join(', ')),
    line('siaddr', hints.siaddr),
    line('option 67', hints.option67),
    ...(hints.sname ? [line('sname', hints.sname)] : []),
    ...(hints.file ? [line('file', hints.file)] : []),
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
  const servers = byServer(rows, (row) => row.dhcpReply);
  if (servers.size === 0) return ['  no DHCP reply to this phone in the capture'];
  return [...servers.entries()].flatMap(([server, replies]) => {
    // Replies that say the same are shown once, with their types, times and frames.
    const groups = new Map<string, { readonly hints: TimelineDhcpReply['hints']; readonly seen: string[] }>();
    for (const { row, part: reply } of replies) {
      const key = JSON.stringify(reply.hints);
      const group = groups.get(key) ?? { hints: reply.hints, seen: [] };
      group.seen.push(
        `${reply.type}${reply.yiaddr ? ` ${reply.yiaddr}` : ''} ${shortTime(row.time)} frame ${row.frame ?? '?'}`,
      );
      groups.set(key, group);
    }
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}${groups.size > 1 ? `, saying ${groups.size} different things` : ''}`)}`,
      ...[...groups.values()].flatMap((group) => [
        `    ${plain(group.seen.join('; '))}`,
        ...hintLines(group.hints).map((l) => plain(l)),
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
