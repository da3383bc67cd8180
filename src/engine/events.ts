/**
 * What the engine is fed: one event model for every source, each event with the file it
 * comes from and its position there (capture frame, log line, TFTP-root path). Sources in
 * `src/` turn files (or live feeds) into these events; the engine keeps them and derives
 * everything else, so findings can be recomputed after each event.
 */
import type { ArpSighting } from '../../parsers/capture/decoder.js';
import type { ConsoleEvent } from '../../parsers/console/events.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import type { TftpTransfer } from '../../parsers/tftp/transfers.js';
import type { ReportInputDamage } from '../findings/report-schema.js';
import type { ParsedRoot } from '../lint/parsed-root.js';

/** A DHCP or TFTP datagram of the capture: which hosts it is between, and whether the snap length cut it (CAPTURE_SNAPLEN_CUT). */
export interface PacketSighting {
  readonly frame: number;
  readonly src: string;
  readonly dst: string;
  readonly truncated: boolean;
}

export type EngineEvent =
  | { readonly source: 'capture'; readonly file: string; readonly kind: 'dhcp'; readonly exchange: DhcpExchange }
  | { readonly source: 'capture'; readonly file: string; readonly kind: 'tftp'; readonly transfer: TftpTransfer }
  | { readonly source: 'capture'; readonly file: string; readonly kind: 'arp'; readonly arp: ArpSighting }
  | { readonly source: 'capture'; readonly file: string; readonly kind: 'packet'; readonly packet: PacketSighting }
  /**
   * A live capture's open business as it stands at capture time `at` (seconds): TFTP transfers
   * under way and DHCP exchanges not settled. Each replaces the previous one of its file; a
   * transfer or exchange leaves it when its own event comes.
   */
  | {
      readonly source: 'capture';
      readonly file: string;
      readonly kind: 'pending';
      readonly at: number;
      readonly transfers: readonly TftpTransfer[];
      readonly exchanges: readonly DhcpExchange[];
    }
  /** The capture's time span, once read (what a phone's requests outside it could not be in). */
  | {
      readonly source: 'capture';
      readonly file: string;
      readonly kind: 'span';
      readonly first: number;
      readonly last: number;
    }
  /** Header fields of a phonedoc console recording (`mac=`, `model=`, `image=`), at their line. */
  | {
      readonly source: 'console';
      readonly file: string;
      readonly kind: 'console-header';
      readonly line: number;
      readonly text: string;
      readonly fields: Readonly<Record<string, string>>;
      /** Its `time=` word (a sent line's or a marker's), in seconds since the epoch. */
      readonly time?: number;
    }
  | { readonly source: 'console'; readonly file: string; readonly kind: 'console'; readonly event: ConsoleEvent }
  | { readonly source: 'server-log'; readonly file: string; readonly kind: 'server'; readonly event: ServerLogEvent }
  | { readonly source: 'tftp-root'; readonly file: string; readonly kind: 'tftp-root'; readonly root: ParsedRoot }
  /** The file is damaged or cut part-way, found once it has been read (INPUT_DAMAGED). */
  | {
      readonly source: DamageableSource;
      readonly file: string;
      readonly kind: 'damage';
      readonly damage: ReportInputDamage;
    };

export type DamageableSource = 'capture' | 'console' | 'server-log';
