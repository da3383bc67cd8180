/**
 * The box Enter, t and ? open: a finding's explanation, evidence and fix; a row's place in
 * its source, the findings citing it and, for a capture row, its packets; the phone's
 * merged timeline; the keys.
 */
import type { TimelineEntry } from '../engine/analysis.js';
import { evidenceAnchor } from '../engine/analysis.js';
import type { Finding } from '../findings/finding.js';
import { citingNumbers, evidencePlace, printedTime, SEVERITY_WORD, shortPlace } from '../views/analysis-parts.js';
import type { Overlay, RowPacketsView, TuiState } from './state.js';
import { coloured, KIND_COLOUR, plain, SEVERITY_COLOUR, shortTime } from './markup.js';
import { KEY_BINDINGS, keyWorks } from './keys.js';
import { serversText } from './servers-view.js';
import { currentPhone, shownFindings } from './view-model.js';

export function overlayTitle(overlay: Overlay): string {
  return {
    finding: ' Finding (Esc closes, ↑↓ scroll) ',
    entry: ' Row (Esc closes, ↑↓ scroll) ',
    timeline: ' Merged timeline (Esc closes, ↑↓ scroll) ',
    messages: ' Messages, oldest first (Esc closes, ↑↓ scroll) ',
    servers: ' Servers (Esc closes, ↑↓ scroll) ',
    help: ' Keys (Esc closes) ',
  }[overlay.kind];
}

export function overlayContent(state: TuiState, overlay: Overlay): string {
  switch (overlay.kind) {
    case 'finding': {
      const shown = shownFindings(state)[overlay.index];
      if (!shown) return '';
      const withdrawn =
        shown.withdrawnAt === undefined
          ? ''
          : `${coloured('yellow', plain(`Withdrawn at ${shown.withdrawnAt}: the newest analysis no longer has this finding; as it was shown before:`))}\n\n`;
      return withdrawn + findingText(shown.finding, state);
    }
    case 'entry': {
      const entry = currentPhone(state)?.timeline.find((e) => e.anchor === overlay.anchor);
      return entry ? entryText(entry, state, overlay.packets) : '';
    }
    case 'timeline':
      return timelineText(state);
    case 'servers':
      return serversText(state);
    case 'messages':
      return state.messages.length
        ? state.messages.map((m) => `${coloured('gray', plain(m.at))} ${plain(m.text)}`).join('\n')
        : 'No message yet.';
    case 'help':
      return KEY_BINDINGS.map((b) => {
        const off = b.needsReplay
          ? ' (in a replay)'
          : keyWorks(b.action, state.liveConsole)
            ? ''
            : ' (needs a live console: --port or --telnet)';
        return `{bold}${plain(b.label.padEnd(9))}{/bold}${plain(b.help + off)}`;
      }).join('\n');
  }
}

function findingText(f: Finding, state: TuiState): string {
  const rows = currentPhone(state)?.timeline ?? [];
  const evidence = f.evidence.map((e) => {
    const inTimeline = rows.some((r) => r.anchor === evidenceAnchor(e)) ? ' »' : '';
    return `  ${plain(shortPlace(e))}${e.time ? ` ${shortTime(e.time)}` : ''}${inTimeline}\n    ${plain(e.text)}`;
  });
  return [
    `${coloured(SEVERITY_COLOUR[f.severity], `{bold}${SEVERITY_WORD[f.severity]}{/bold}`)} ${plain(f.id)}`,
    `{bold}${plain(f.title)}{/bold}`,
    ...(f.causedBy ? [plain(`A consequence of ${f.causedBy}.`)] : []),
    '',
    plain(f.explanation),
    '',
    '{bold}Evidence{/bold} (» marked in the console and network panes)',
    ...evidence,
    '',
    '{bold}Fix{/bold}',
    ...f.fix.map((step, i) => `  ${i + 1}. ${plain(step)}`),
  ].join('\n');
}

function entryText(entry: TimelineEntry, state: TuiState, packets: RowPacketsView | undefined): string {
  const placed = shownFindings(state);
  const timeline = currentPhone(state)?.timeline ?? [];
  const folded = (entry.merged ?? []).flatMap((anchor) => timeline.filter((e) => e.anchor === anchor));
  const citing = [entry, ...folded]
    .flatMap((e) => citingNumbers(e, placed))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort((a, b) => a - b)
    .flatMap((n) => placed[n - 1]?.finding ?? []);
  return [
    `${coloured(KIND_COLOUR[entry.kind], plain(entry.text))}`,
    '',
    plain(`${printedTime(entry.time) ?? 'time unknown'} (on the capture's clock)`),
    plain(`${entry.lane}: ${evidencePlace(entry)}`),
    ...folded.map((e) => `  ${plain(`${evidencePlace(e)}: ${e.text}`)}`),
    '',
    citing.length ? '{bold}Cited by{/bold}' : 'No finding cites this row.',
    ...citing.map(
      (f) => `  ${coloured(SEVERITY_COLOUR[f.severity], plain(SEVERITY_WORD[f.severity]))} ${plain(f.title)}`,
    ),
    ...(packets && entry.frame !== undefined ? ['', ...packetsText(packets, entry.file, entry.frame)] : []),
  ].join('\n');
}

/** The row's packets as `phonedoc decode` prints them, the first and last of a long transfer, and what stopped the reading. */
function packetsText(view: RowPacketsView, file: string, frame: number): string[] {
  switch (view.state) {
    case 'reading':
      return ['reading packets…'];
    case 'failed':
      return [coloured('red', plain(view.message))];
    case 'read': {
      const { title, head, omitted, tail, stopped } = view.packets;
      const total = head.length + omitted + tail.length;
      return [
        title === undefined
          ? plain(`No TFTP transfer or DHCP exchange in ${file} has frame ${frame}.`)
          : `{bold}Packets{/bold} ${plain(`(${total.toLocaleString('en-US')}) of the ${title}`)}`,
        ...head.map((line) => plain(line)),
        ...(omitted > 0
          ? [coloured('gray', plain(`… ${omitted.toLocaleString('en-US')} more packet${omitted === 1 ? '' : 's'} …`))]
          : []),
        ...tail.map((line) => plain(line)),
        ...(stopped === undefined ? [] : [coloured('red', plain(`reading stopped: ${stopped}`))]),
        '',
        coloured('gray', "Every field of the row's frame:"),
        plain(`  tshark -r ${shellWord(file)} -Y "frame.number == ${frame}" -V`),
      ];
    }
  }
}

function timelineText(state: TuiState): string {
  const phone = currentPhone(state);
  if (!phone) return 'No phone yet.';
  const placed = shownFindings(state);
  return phone.timeline
    .map((e) => {
      const marks = citingNumbers(e, placed);
      return `${e.findingIds.length ? '»' : ' '}${shortTime(e.time)} ${plain(e.lane.padEnd(8))}${coloured(KIND_COLOUR[e.kind], plain(e.text))}${marks.length ? ` [${marks.join(',')}]` : ''} ${coloured('gray', plain(shortPlace(e)))}`;
    })
    .join('\n');
}

/** A file name as one word for a shell: quoted when it holds anything but letters, digits and `._/-+:@,`. */
function shellWord(name: string): string {
  return /^[\w./+:@,-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}
