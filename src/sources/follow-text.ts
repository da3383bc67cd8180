/**
 * A text file followed as it grows, like `tail -f`: every complete line from the start,
 * then each new one as it is written, with its 1-based line number. A file that shrinks was
 * truncated or replaced (log rotation): it is read again from its start, numbering anew.
 * A missing file is waited for. Lines end at LF; a CR before it is dropped.
 */
import { open, stat } from 'node:fs/promises';

export interface FollowTextOptions {
  readonly signal: AbortSignal;
  /** How often the file is checked for new bytes. */
  readonly pollMs?: number;
  /** Called when reading starts over (the file shrank): the lines given so far are gone. */
  readonly restarted?: () => void;
}

export const FOLLOW_POLL_MS = 200;
/** A partial line longer than this is given as a line (a log never writes such lines; a binary file would). */
const MAX_LINE_BYTES = 64 * 1024;

/** Resolves when the signal aborts; rejects when the file cannot be read (other than not existing yet). */
export async function followText(
  path: string,
  onLine: (text: string, line: number) => void,
  options: FollowTextOptions,
): Promise<void> {
  const pollMs = options.pollMs ?? FOLLOW_POLL_MS;
  let offset = 0;
  let line = 0;
  let partial = Buffer.alloc(0);
  const chunk = Buffer.alloc(256 * 1024);
  while (!options.signal.aborted) {
    const size = await sizeOf(path);
    if (size !== undefined && size < offset) {
      offset = 0;
      line = 0;
      partial = Buffer.alloc(0);
      options.restarted?.();
    }
    if (size !== undefined && size > offset) {
      const file = await open(path, 'r');
      try {
        for (;;) {
          const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          partial = Buffer.concat([partial, chunk.subarray(0, bytesRead)]);
          for (
            let end = partial.indexOf(0x0a);
            end >= 0 || partial.length > MAX_LINE_BYTES;
            end = partial.indexOf(0x0a)
          ) {
            const cut = end >= 0 ? end : MAX_LINE_BYTES;
            onLine(partial.subarray(0, cut).toString('latin1').replace(/\r$/, ''), ++line);
            partial = partial.subarray(end >= 0 ? cut + 1 : cut);
          }
        }
      } finally {
        await file.close();
      }
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done(): void {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      }
      options.signal.addEventListener('abort', done, { once: true });
    });
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
