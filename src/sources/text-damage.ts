/**
 * A damaged stretch in a text log: lines holding NUL bytes or runs of control characters (a
 * file partly overwritten, a disk or copy error, line noise), and a last line cut part-way in
 * a log whose lines are written whole (a recording or a syslog file). Byte offsets are counted
 * in the file's own bytes, so the user can find the place with a hex viewer.
 */
import { withoutNulPadding } from '../../parsers/console/log-lines.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import { encodedLength } from './text-encoding.js';
import type { DecodedLog } from './text-encoding.js';

/**
 * `any`: lines end at CRLF, CR or LF (console logs); `lf`: at LF only
 * (syslog, where a CR can be part of a file name).
 */
export type LineBreaks = 'any' | 'lf';

export interface TextDamage {
  /** 1-based numbers of the lines left out because they are damaged. */
  readonly damagedLines: ReadonlySet<number>;
  readonly damage?: ReportInputDamage;
}

/** NUL anywhere but in the padding around the line, or three control characters (not tab, line ends, form feed or escape) in one line. */
const CONTROL = /[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]/g;

function isDamagedLine(line: string): boolean {
  const text = withoutNulPadding(line);
  // A line of NUL bytes only is a zeroed stretch, not padding.
  return (text === '' && line !== '') || text.includes('\0') || (text.match(CONTROL)?.length ?? 0) >= 3;
}

/**
 * Collects the damage of a log read line by line (whole or streamed): `line` for every line in
 * order with the byte offset it starts at, then `finish`.
 */
export class TextDamageTracker {
  private readonly damaged = new Set<number>();
  private readonly offsets = new Map<number, number>();
  private lines = 0;
  private lastOffset = 0;
  /** The last line holds nothing but NUL padding or spaces: nothing of it was lost. */
  private lastBlank = false;

  /** True when the line is damaged (and so to be left out). */
  line(number: number, text: string, offset: number): boolean {
    this.lines = number;
    this.lastOffset = offset;
    this.lastBlank = withoutNulPadding(text).trim() === '';
    if (!isDamagedLine(text)) return false;
    this.damaged.add(number);
    this.offsets.set(number, offset);
    return true;
  }

  /**
   * `lastEnded`: the last line had its line end. `wholeLines`: the log writes each line whole,
   * so a last line without a line end was cut. `endOffset`: the file's size in bytes.
   */
  finish(lastEnded: boolean, wholeLines: boolean, endOffset: number): TextDamage {
    const damagedLines = this.damaged;
    const cutLast = wholeLines && this.lines > 1 && !lastEnded && !this.lastBlank;
    if (damagedLines.size === 0 && !cutLast) return { damagedLines };
    const linesRead = this.lines - damagedLines.size;
    if (damagedLines.size === 0) {
      const line = this.lines;
      return {
        damagedLines,
        damage: {
          offset: this.lastOffset,
          line,
          linesRead,
          endsInput: true,
          text:
            `the last line (${line}) has no line end: ` +
            `the file was cut at byte ${endOffset}, in the middle of a line`,
        },
      };
    }
    const first = Math.min(...damagedLines);
    const lastDamaged = Math.max(...damagedLines);
    const where = first === lastDamaged ? `line ${first}` : `lines ${first}-${lastDamaged}`;
    const count = damagedLines.size === lastDamaged - first + 1 ? '' : ` (${damagedLines.size} damaged lines)`;
    return {
      damagedLines,
      damage: {
        offset: this.offsets.get(first)!,
        line: first,
        ...(lastDamaged !== first ? { lastLine: lastDamaged } : {}),
        linesRead,
        endsInput: lastDamaged === this.lines,
        text:
          `${where}${count} ${first === lastDamaged ? 'holds' : 'hold'} ` +
          `NUL bytes or control characters, not text: left out`,
      },
    };
  }
}

/**
 * The damage of a log read whole, its lines split as the readers split them (a
 * text ending in a line end has no empty last line). `received`: the text a line
 * stands for when the file holds it escaped (the console recorder's form), judged instead.
 */
export function findTextDamage(
  log: DecodedLog,
  breaks: LineBreaks,
  wholeLines: boolean,
  received?: ReadonlyMap<number, string>,
): TextDamage {
  const parts = log.text.split(breaks === 'any' ? /(\r\n|\r|\n)/ : /(\n)/);
  const tracker = new TextDamageTracker();
  let offset = log.markBytes;
  let number = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const text = parts[i]!;
    const end = parts[i + 1] ?? '';
    if (text === '' && end === '' && i === parts.length - 1) break;
    number++;
    tracker.line(number, received?.get(number) ?? text, offset);
    offset += encodedLength(text + end, log.encoding);
  }
  return tracker.finish(parts[parts.length - 1] === '', wholeLines, offset);
}
