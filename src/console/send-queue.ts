/**
 * The `--send` commands of a console session: each sent once, in order, when the phone shows a
 * prompt or has gone quiet (a phone that prints no prompt still gets them).
 */

/** Quiet time after which the next command goes even without a prompt. */
const SEND_QUIET_MS = 1000;

export class SendQueue {
  private readonly waiting: string[];
  private timer: NodeJS.Timeout | undefined;

  /** `send` writes one command to the phone; false when it could not (not connected: the command is dropped). */
  constructor(
    commands: readonly string[],
    private readonly send: (command: string) => boolean,
  ) {
    this.waiting = [...commands];
  }

  /** The phone said something (or the session has just connected): the next command waits for quiet. */
  heard(): void {
    if (this.waiting.length === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.next(), SEND_QUIET_MS);
  }

  /** The phone shows a prompt: the next command goes now. */
  next(): void {
    clearTimeout(this.timer);
    const command = this.waiting.shift();
    if (command === undefined || !this.send(command)) return;
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.next(), SEND_QUIET_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
