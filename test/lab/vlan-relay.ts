/**
 * The frame relay behind `addVlanPath` (netns.ts), run inside the switch namespace:
 * `vlan-relay <vid> <basePort>`. Port i (0 access1, 1 trunk1, 2 trunk2, 3 access2) receives
 * the raw frames of its interface from socat on UDP 127.0.0.1:<basePort+i> and sends frames
 * out through socat at 127.0.0.1:<basePort+100+i>. Frames go 0<->1 and 2<->3; towards a
 * trunk end (1 or 2) the 802.1Q tag is pushed, towards an access port a tag with our VLAN id
 * is removed and frames of other VLANs are dropped.
 */
import dgram from 'node:dgram';

const TPID_8021Q = 0x8100;
/** Destination and source MAC come before the tag (IEEE 802.1Q clause 9). */
const TAG_OFFSET = 12;

const [vidArg, baseArg] = process.argv.slice(2);
const vid = Number(vidArg);
const base = Number(baseArg);
if (!(vid >= 1 && vid <= 4094) || !(base > 0)) {
  process.stderr.write('usage: vlan-relay <vid 1-4094> <basePort>\n');
  process.exit(2);
}

function pushTag(frame: Buffer): Buffer {
  const tag = Buffer.alloc(4);
  tag.writeUInt16BE(TPID_8021Q, 0);
  tag.writeUInt16BE(vid, 2); // PCP 0, DEI 0
  return Buffer.concat([frame.subarray(0, TAG_OFFSET), tag, frame.subarray(TAG_OFFSET)]);
}

/** The untagged frame, the frame itself when it has no tag, or undefined for another VLAN. */
function popTag(frame: Buffer): Buffer | undefined {
  if (frame.length < TAG_OFFSET + 4 || frame.readUInt16BE(TAG_OFFSET) !== TPID_8021Q) return frame;
  if ((frame.readUInt16BE(TAG_OFFSET + 2) & 0x0fff) !== vid) return undefined;
  return Buffer.concat([frame.subarray(0, TAG_OFFSET), frame.subarray(TAG_OFFSET + 4)]);
}

const peerOf = [1, 0, 3, 2];
const isTrunk = (port: number): boolean => port === 1 || port === 2;
const sockets = [0, 1, 2, 3].map(() => dgram.createSocket('udp4'));

let bound = 0;
for (const [port, socket] of sockets.entries()) {
  socket.on('message', (frame) => {
    const out = peerOf[port] ?? port;
    const forwarded = isTrunk(out) ? pushTag(frame) : popTag(frame);
    if (forwarded) sockets[out]?.send(forwarded, base + 100 + out, '127.0.0.1');
  });
  // socat may not be listening yet while the lab starts it: ignore "connection refused".
  socket.on('error', () => undefined);
  socket.bind(base + port, '127.0.0.1', () => {
    bound += 1;
    if (bound === sockets.length) process.stdout.write('ready\n');
  });
}
process.on('SIGTERM', () => process.exit(0));
