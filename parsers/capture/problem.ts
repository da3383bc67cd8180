/**
 * Something wrong with the bytes of a capture file. `error` stops the reader (nothing
 * after `offset` can be trusted); `warning` is reported and reading goes on.
 */
export interface CaptureProblem {
  readonly severity: 'error' | 'warning';
  /** Byte offset in the capture file where the problem starts. */
  readonly offset: number;
  /** 1-based number of the frame concerned, when there is one. */
  readonly frame?: number;
  /** What was found and what was expected, in plain words, without the file name. */
  readonly message: string;
}
