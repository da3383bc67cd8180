/**
 * How the boot-flow model asks for files. The flows are generators: each yields what the phone
 * asks the TFTP server for and receives the answers, so one piece of decision code serves the
 * lint (answers from a synchronous lookup of a TFTP root, `answerFromLookup`) and the lab's
 * simulated phone (answers from real TFTP transfers).
 */
import type { TftpAnswer, TftpLookup } from './tftp-lookup.js';
import type { RequestPurpose } from './boot.js';
import type { ImageSource } from './image-sources.js';
import type { RunningImage } from './phone.js';

export interface FileRequest {
  /** Exactly as the phone sends it. */
  readonly file: string;
  readonly purpose: RequestPurpose;
  /** For image requests: the file and line that named the image. */
  readonly namedBy?: ImageSource;
  /** For the parts of a .loads: the .loads file. */
  readonly partOf?: string;
}

export type FlowAsk =
  /**
   * Read requests sent at once, one answer each in the same order
   * (RINGLIST.DAT and dialplan.xml go together, facts 2.1).
   */
  | { readonly kind: 'request'; readonly requests: readonly FileRequest[] }
  /**
   * Not a request of the phone: the model looks at a file beside one it received (gkdefault.txt,
   * the source of gkdefault.cfg). Who cannot look answers not-found and the received file is read.
   */
  | { readonly kind: 'look'; readonly file: string }
  /** The image fetched whole is written to flash; the phone reboots into it. Answered with no answers. */
  | { readonly kind: 'reboot'; readonly into: RunningImage };

export type Flow<R> = Generator<FlowAsk, R, readonly TftpAnswer[]>;

/** Runs a flow to its end against a TFTP root seen through `lookup`. */
export function answerFromLookup<R>(flow: Flow<R>, lookup: TftpLookup): R {
  let step = flow.next([]);
  while (!step.done) {
    const ask = step.value;
    const answers =
      ask.kind === 'request' ? ask.requests.map((r) => lookup(r.file)) : ask.kind === 'look' ? [lookup(ask.file)] : [];
    step = flow.next(answers);
  }
  return step.value;
}
