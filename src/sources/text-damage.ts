/**
 * A damaged stretch in a text log: lines holding NUL bytes or runs of control characters (a
 * file partly overwritten, a disk or copy error, line noise), and a last line cut part-way in
 * a log whose lines are written whole (a recording or a syslog file). Byte offsets are counted
 * in the file's own bytes, so the user can find the place with a hex viewer.
 */
import type { ReportInputDamage } from '../findings/report-schema.js';

/** `any`: lines end at CRLF, CR or LF (console logs); `lf`: at LF only (syslog, where a CR can be part of a file name). */
export type LineBreaks = 'any' | 'lf';

export interface TextDamage {
  /** 1-based numbers of the lines left out because they are damaged. */
  readonly damagedLines: ReadonlySet<number>;
  readonly damage?: ReportInputDamage;
}

/** NUL anywhere, or three control characters (not tab, line ends, form feed or escape) in one line. */
const CONTROL = /[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]/g;

export function isDamagedLine(line: string): boolean {
  return line.includes('\0') || (line.match(CONTROL)?.length ?? 0) >= 3;
}

/** Byte offset of the start of each line, split as `breaks` says; a file ending in a line end has no empty last line. */
function lineStarts(bytes: Uint8Array, breaks: LineBreaks): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) starts.push(i + 1);
    else if (b === 0x0d && breaks === 'any') {
      if (bytes[i + 1] === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  if (starts[starts.length - 1] === bytes.length) starts.pop();
  return starts;
}

/**
 * `lines`: the file's lines as the reader split them (same `breaks`); `wholeLines`: the log
 * writes each line whole, so a last line without a line end was cut.
 */
export function findTextDamage(bytes: Uint8Array, lines: readonly string[], breaks: LineBreaks, wholeLines: boolean): TextDamage {
  const damagedLines = new Set<number>();
  lines.forEach((line, i) => {
    if (isDamagedLine(line)) damagedLines.add(i + 1);
  });
  const last = bytes[bytes.length - 1];
  const cutLast = wholeLines && lines.length > 1 && last !== 0x0a && !(breaks === 'any' && last === 0x0d);
  if (damagedLines.size === 0 && !cutLast) return { damagedLines };
  const starts = lineStarts(bytes, breaks);
  const linesRead = lines.length - damagedLines.size;
  if (damagedLines.size === 0) {
    const line = lines.length;
    const offset = starts[line - 1] ?? 0;
    return {
      damagedLines,
      damage: { offset, line, linesRead, endsInput: true, text: `the last line (${line}) has no line end: the file was cut at byte ${bytes.length}, in the middle of a line` },
    };
  }
  const first = Math.min(...damagedLines);
  const lastDamaged = Math.max(...damagedLines);
  const offset = starts[first - 1] ?? 0;
  const endsInput = lastDamaged === lines.length;
  const where = first === lastDamaged ? `line ${first}` : `lines ${first}-${lastDamaged}`;
  const count = damagedLines.size === lastDamaged - first + 1 ? '' : ` (${damagedLines.size} damaged lines)`;
  return {
    damagedLines,
    damage: {
      offset, line: first, ...(lastDamaged !== first ? { lastLine: lastDamaged } : {}), linesRead, endsInput,
      text: `${where}${count} ${first === lastDamaged ? 'holds' : 'hold'} NUL bytes or control characters, not text: left out`,
    },
  };
}
