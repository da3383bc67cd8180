import { formatTimestamp } from '../../parsers/capture/frame.js';
import { terminalText } from './escape.js';
import type { DecodedPacket } from '../../parsers/capture/decoder.js';
import { dhcpOptionsToJson, dhcpSummary } from '../../parsers/dhcp/decode.js';
import { dhcpMessageTypeName, type JsonValue } from '../../parsers/dhcp/options.js';
import { tftpJson, tftpSummary } from '../../parsers/tftp/decode.js';

/**
 * One decoded packet as a `phonedoc decode --format jsonl` record. Field order and names are
 * the README's contract: frame, time, src, dst, sport, dport, proto, then the protocol's fields.
 */
export function packetRecord(packet: DecodedPacket): Record<string, JsonValue> {
  const record: Record<string, JsonValue> = {
    frame: packet.frame,
    time: formatTimestamp(packet.time),
    src: packet.src,
    dst: packet.dst,
    sport: packet.sport,
    dport: packet.dport,
    proto: packet.proto,
  };
  if (packet.proto === 'tftp') {
    Object.assign(record, tftpJson(packet.tftp));
    const warnings = packet.tftp.warnings.map((w) => w.message);
    if (warnings.length > 0) record.warnings = warnings;
  } else {
    const { dhcp } = packet;
    if (dhcp.op !== undefined) record.op = dhcp.op;
    if (dhcp.xid !== undefined) record.xid = `0x${dhcp.xid.toString(16).padStart(8, '0')}`;
    for (const key of ['chaddr', 'ciaddr', 'yiaddr', 'siaddr', 'giaddr'] as const) {
      const value = dhcp[key];
      if (value !== undefined) record[key] = value;
    }
    if (dhcp.messageType !== undefined) record.messageType = dhcpMessageTypeName(dhcp.messageType) ?? dhcp.messageType;
    record.options = dhcpOptionsToJson(dhcp);
    if (dhcp.warnings.length > 0) record.warnings = [...dhcp.warnings];
  }
  if (packet.vlanIds.length > 0) record.vlan = [...packet.vlanIds];
  if (packet.fragmentFrames.length > 0) record.fragments = [...packet.fragmentFrames];
  if (packet.truncated) record.truncated = true;
  if (packet.icmp !== undefined) record.icmp = { ...packet.icmp };
  return record;
}

/** One decoded packet as a line of `phonedoc decode --format text`, every input field escaped (escape.ts). */
export function packetText(packet: DecodedPacket): string {
  const where = `${packet.src}:${packet.sport} -> ${packet.dst}:${packet.dport}`;
  const what = packet.proto === 'tftp' ? `TFTP ${tftpSummary(packet.tftp)}` : dhcpSummary(packet.dhcp);
  const marks: string[] = [];
  if (packet.vlanIds.length > 0) marks.push(`vlan ${packet.vlanIds.join('/')}`);
  if (packet.fragmentFrames.length > 0) marks.push(`reassembled from frames ${packet.fragmentFrames.join(',')}`);
  if (packet.truncated) marks.push('cut by snap length');
  if (packet.icmp !== undefined) marks.push(`quoted in ICMP ${packet.icmp.codeName} from ${packet.icmp.from}`);
  const suffix = marks.length > 0 ? ` [${marks.join('; ')}]` : '';
  return terminalText(`${String(packet.frame).padStart(6)} ${formatTimestamp(packet.time)} ${where} ${what}${suffix}`);
}
