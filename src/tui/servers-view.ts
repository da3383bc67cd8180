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

function dhcpText(rows: readonly TimelineEntry[]): string[] {
  const byServer = new Map<string, TimelineEntry[]>();
  for (const e of rows)
    if (e.dhcpReply) byServer.set(e.dhcpReply.server, [...(byServer.get(e.dhcpReply.server) ?? []), e]);
  if (byServer.size === 0) return ['  no DHCP reply to this phone in the capture'];
  return [...byServer.entries()].flatMap(([server, replies]) => {
    // Replies that say the same are shown once, with their types, times and frames.
    const groups = new Map<string, TimelineEntry[]>();
    for (const e of replies) {
      const key = JSON.stringify(e.dhcpReply!.hints);
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    return [
      `  {bold}${plain(server)}{/bold}${plain(`: ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}${groups.size > 1 ? `, saying ${groups.size} different things` : ''}`)}`,
      ...[...groups.values()].flatMap((group) => [
        `    ${plain(group.map((e) => `${e.dhcpReply!.type}${e.dhcpReply!.yiaddr ? ` ${e.dhcpReply!.yiaddr}` : ''} ${shortTime(e.time)} frame ${e.frame ?? '?'}`).join('; '))}`,
        ...hintLines(group[0]!.dhcpReply!.hints).map((l) => plain(l)),
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
