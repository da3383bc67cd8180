/**
 * How long decoding a case may take, from this machine's speed measured now: a capture
 * dense with DHCP and TFTP is timed every so often (the machine may be busy with other
 * work), and a case gets a fixed allowance plus ten times what that speed gives for its
 * size. Decoding is linear in the input, so a case over budget did something superlinear.
 */
import { runPipeline } from './properties.js';
import { calibrationCapture } from './seeds.js';

const CALIBRATION_BYTES = 256 * 1024;
const FIXED_MS = 500;
const FACTOR = 10;
/** Cases between two measurements. */
const RECALIBRATE_EVERY = 200;

export class TimeBudget {
  private readonly sample = calibrationCapture(CALIBRATION_BYTES);
  /** Microseconds per byte, the slower of the last two measurements. */
  private microsPerByte = 0;
  private previous = 0;
  private cases = 0;

  constructor() {
    runPipeline(this.sample, [], true); // warms the JIT up: the first run is several times slower
    this.measure();
  }

  /** Milliseconds a case of `bytes` bytes may take. */
  forBytes(bytes: number): number {
    if (++this.cases % RECALIBRATE_EVERY === 0) this.measure();
    return FIXED_MS + (FACTOR * this.microsPerByte * bytes) / 1000;
  }

  get speed(): number {
    return this.microsPerByte;
  }

  private measure(): void {
    const runs = [0, 1, 2].map(() => runPipeline(this.sample, [], true).ms).sort((a, b) => a - b);
    const now = (runs[1]! * 1000) / this.sample.length;
    this.microsPerByte = Math.max(now, this.previous);
    this.previous = now;
  }
}
