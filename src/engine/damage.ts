/**
 * Damaged inputs in the verdict: which phones a damaged input cuts off, the INPUT_DAMAGED
 * finding, and the clause that says what is unknown after the damage. A capture or a server
 * log cut part-way speaks for every phone (each shows the whole segment or server); a damaged
 * stretch inside a log, or a console, only for the phones it holds.
 */
import type { Finding, PhoneRef } from '../findings/finding.js';
import { catalogFinding } from '../findings/catalog-finding.js';
import { type InputDamage, type Model, type PhoneRecord, type PhoneRequest, phoneRequest } from './model.js';

export function damageOfPhone(phone: PhoneRecord, model: Model): InputDamage[] {
  const files = new Set<string>([
    ...phone.requests.flatMap((r) => r.evidence.map((e) => e.file)),
    ...phone.exchanges.map((x) => x.file),
    ...phone.console.map((c) => c.file),
    ...phone.serverLines.map((s) => s.file),
  ]);
  return model.damage.filter((d) => files.has(d.file) || (d.damage.endsInput && d.source !== 'console'));
}

/** True when nothing after the damage was read: what the phone did next is unknown. */
export function cutsStory(damage: readonly InputDamage[]): boolean {
  return damage.some((d) => d.damage.endsInput);
}

/** `capture.pcap cannot be read beyond frame 16 (byte 2960): what happened after is unknown`. */
export function damageClause({ source, file, damage }: InputDamage): string {
  if (damage.endsInput && damage.frame !== undefined)
    return `${file} cannot be read beyond frame ${damage.frame} (byte ${damage.offset}): what happened after is unknown`;
  if (damage.endsInput && damage.line !== undefined && damage.lastLine === undefined)
    return `${file} is cut in line ${damage.line} (byte ${damage.offset}): what came after is unknown`;
  if (damage.endsInput)
    return `${file} is damaged from ${damage.line !== undefined ? `line ${damage.line}, ` : ''}byte ${damage.offset} to its end: what happened after is unknown`;
  const lines = damage.lastLine !== undefined ? `lines ${damage.line}-${damage.lastLine}` : `line ${damage.line}`;
  const who = source === 'console' ? 'the phone printed' : 'the server logged';
  return `${file} ${lines} (from byte ${damage.offset}) ${damage.lastLine !== undefined ? 'are' : 'is'} damaged: what ${who} there is unknown`;
}

function readSentence({ damage }: InputDamage): string {
  if (damage.framesRead !== undefined)
    return `${damage.framesRead} frame${damage.framesRead === 1 ? '' : 's'} were read before the damage at byte ${damage.offset}${damage.frame !== undefined ? ` (frame ${damage.frame})` : ''}.`;
  if (damage.linesRead !== undefined)
    return `${damage.linesRead} line${damage.linesRead === 1 ? ' was' : 's were'} read; the damage starts at byte ${damage.offset}${damage.line !== undefined ? ` (line ${damage.line})` : ''}.`;
  return `The damage starts at byte ${damage.offset}.`;
}

export function damageFinding(d: InputDamage, phone?: PhoneRef): Finding {
  return catalogFinding('INPUT_DAMAGED', {
    ...(phone ? { phone } : {}),
    evidence: [
      {
        source: d.source,
        file: d.file,
        ...(d.damage.frame !== undefined ? { frame: d.damage.frame } : {}),
        ...(d.damage.line !== undefined ? { line: d.damage.line } : {}),
        text: `byte ${d.damage.offset}: ${d.damage.text}`,
      },
    ],
    detail: d.damage.endsInput ? `${d.file}: ${readSentence(d)}` : `${d.file}: ${readSentence(d)} ${damageClause(d)}.`,
  });
}

/**
 * With a capture cut at `cutAt` (its last frame's time): what a server log shows after the
 * last request the capture also holds came after the cut, even where the log's whole seconds
 * put it earlier; such requests are placed at the cut, so they sort after what the capture holds.
 */
export function placeAfterCut(requests: PhoneRequest[], cutAt: number): void {
  const lastShared = new Map<string, number>();
  for (const r of requests) {
    if (!r.evidence.some((e) => e.source === 'capture')) continue;
    for (const e of r.evidence)
      if (e.source === 'server-log' && e.line !== undefined)
        lastShared.set(e.file, Math.max(lastShared.get(e.file) ?? 0, e.line));
  }
  requests.forEach((r, i) => {
    const logged =
      r.evidence.every((e) => e.source !== 'capture') &&
      r.evidence.some(
        (e) =>
          e.source === 'server-log' &&
          e.line !== undefined &&
          lastShared.has(e.file) &&
          e.line > lastShared.get(e.file)!,
      );
    if (logged && r.time !== undefined && r.time < cutAt) requests[i] = phoneRequest(r, cutAt);
  });
}
