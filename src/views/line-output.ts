import type { Writable } from 'node:stream';
import { once } from 'node:events';

/**
 * Lines to a stream, batched: one write per ~64 KiB instead of one per line, and waiting
 * for 'drain' so a slow reader of our output (a pager, a pipe) holds the input back
 * instead of filling memory.
 */
export class LineOutput {
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(
    private readonly stream: Writable = process.stdout,
    private readonly batchChars = 64 * 1024,
  ) {}

  line(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length + 1;
  }

  /** Writes what is pending when the batch is full (or always with `force`), waiting for the stream when it asks. */
  async flush(force = false): Promise<void> {
    if (this.pending.length === 0 || (!force && this.pendingChars < this.batchChars)) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingChars = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}
