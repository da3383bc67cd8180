/**
 * The least of telnet (RFC 854/855) a CLI session needs: commands and option negotiation
 * taken out of the byte stream, every option refused except the server's ECHO (RFC 857)
 * and SUPPRESS-GO-AHEAD (RFC 858), which make a character-at-a-time session.
 */

export const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
/** RFC 854: "BRK ... 243". */
export const BRK = 243;
const OPTION_ECHO = 1;
const OPTION_SGA = 3;
const ACCEPTED_FROM_SERVER: ReadonlySet<number> = new Set([OPTION_ECHO, OPTION_SGA]);

export interface TelnetReceived {
  /** The data bytes, commands removed, IAC IAC as one 255. */
  readonly data: Uint8Array;
  /** Negotiation answers to send back. */
  readonly reply: Uint8Array;
}

export interface TelnetReader {
  receive(chunk: Uint8Array): TelnetReceived;
}

type State = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

export function createTelnetReader(): TelnetReader {
  let state: State = 'data';
  let verb = 0;
  // Answer each (verb, option) once: RFC 1143's loop avoidance in its simplest form.
  const answered = new Set<number>();

  return {
    receive(chunk) {
      const data: number[] = [];
      const reply: number[] = [];
      for (const byte of chunk) {
        switch (state) {
          case 'data':
            if (byte === IAC) state = 'iac';
            else data.push(byte);
            break;
          case 'iac':
            if (byte === IAC) {
              data.push(IAC);
              state = 'data';
            } else if (byte === SB) state = 'sb';
            else if (byte >= WILL && byte <= DONT) {
              verb = byte;
              state = 'option';
            } else state = 'data';
            break;
          case 'option': {
            const key = verb * 256 + byte;
            if (!answered.has(key) && (verb === DO || verb === WILL)) {
              answered.add(key);
              if (verb === DO) reply.push(IAC, WONT, byte);
              else reply.push(IAC, ACCEPTED_FROM_SERVER.has(byte) ? DO : DONT, byte);
            }
            state = 'data';
            break;
          }
          case 'sb':
            if (byte === IAC) state = 'sb-iac';
            break;
          case 'sb-iac':
            state = byte === SE ? 'data' : 'sb';
            break;
        }
      }
      return { data: Uint8Array.from(data), reply: Uint8Array.from(reply) };
    },
  };
}

/** Data for the wire: IAC doubled; a CR not followed by LF becomes CR NUL (RFC 854, "the NVT printer"). */
export function telnetEscape(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  bytes.forEach((byte, i) => {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
    else if (byte === 0x0d && bytes[i + 1] !== 0x0a) out.push(0);
  });
  return Uint8Array.from(out);
}
