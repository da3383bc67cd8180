/**
 * Link-layer headers: where the network-layer packet starts and what it is.
 * LINKTYPE_* values from https://www.tcpdump.org/linktypes.html.
 */

import { byteAt, readU32 as readU32InOrder } from '../capture/bytes.js';
import { readMac, readU16, readU32 } from './address.js';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW as some systems write it into files instead of LINKTYPE_RAW (12 most BSDs, 14 OpenBSD). */
export const LINKTYPE_RAW_BSD = 12;
export const LINKTYPE_RAW_OPENBSD = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** The link types `readLinkLayer` decodes; frames of any other type are counted and skipped. */
export const DECODED_LINK_TYPES: ReadonlySet<number> = new Set([
  LINKTYPE_NULL,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW_BSD,
  LINKTYPE_RAW_OPENBSD,
  LINKTYPE_RAW,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL2,
]);

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad service tag
const ETHERTYPE_QINQ_LEGACY = 0x9100; // pre-standard QinQ

/** ARPHRD_ETHER: the cooked header's address is an Ethernet MAC. */
const ARPHRD_ETHER = 1;

/** BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs by system. */
const AF_INET = 2;
const AF_INET6_VALUES: ReadonlySet<number> = new Set([
  10 /* Linux */, 24 /* NetBSD, OpenBSD */, 28 /* FreeBSD */, 30 /* macOS */,
]);

export const LINK_OK = 0;
export const LINK_UNKNOWN_TYPE = 1;
export const LINK_TRUNCATED = 2;
export type LinkStatus = typeof LINK_OK | typeof LINK_UNKNOWN_TYPE | typeof LINK_TRUNCATED;

/** What the link-layer header of one frame says. One instance is reused for every frame. */
export class LinkLayer {
  /**
   * Ethertype of the payload (ETHERTYPE_*); 0 when the link layer does not say or says something
   * else than an ethertype.
   */
  etherType = 0;
  /** Offset of the network-layer header in the frame data. */
  offset = 0;
  /** Offset of the source / destination MAC in the frame data, -1 when the link layer has none. */
  srcMacOffset = -1;
  dstMacOffset = -1;
  /** VLAN ids of the 802.1Q/802.1ad tags, outer first: the first `vlanCount` entries are this frame's. */
  readonly vlanIds: number[] = [];
  vlanCount = 0;

  /** This frame's VLAN ids as an array of their own. */
  vlanList(): readonly number[] {
    return this.vlanCount === 0 ? NO_VLANS : this.vlanIds.slice(0, this.vlanCount);
  }

  srcMac(data: Uint8Array): number | undefined {
    return this.srcMacOffset < 0 ? undefined : readMac(data, this.srcMacOffset);
  }

  dstMac(data: Uint8Array): number | undefined {
    return this.dstMacOffset < 0 ? undefined : readMac(data, this.dstMacOffset);
  }
}

const NO_VLANS: readonly number[] = Object.freeze([]);

/**
 * Reads the link-layer header of `data[0, end)` into `out`. `end` excludes the FCS.
 * LINK_TRUNCATED: the frame ends inside the link-layer header.
 */
export function readLinkLayer(linkType: number, data: Uint8Array, end: number, out: LinkLayer): LinkStatus {
  out.srcMacOffset = -1;
  out.dstMacOffset = -1;
  out.vlanCount = 0;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (end < 14) return LINK_TRUNCATED;
      out.dstMacOffset = 0;
      out.srcMacOffset = 6;
      return readEtherType(data, 12, end, out);
    case LINKTYPE_LINUX_SLL:
      // packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
      if (end < 16) return LINK_TRUNCATED;
      if (readU16(data, 2) === ARPHRD_ETHER && readU16(data, 4) === 6) out.srcMacOffset = 6;
      return readEtherType(data, 14, end, out);
    case LINKTYPE_LINUX_SLL2:
      // protocol(2) reserved(2) interface index(4) ARPHRD type(2) packet type(1) address length(1) address(8)
      if (end < 20) return LINK_TRUNCATED;
      if (readU16(data, 8) === ARPHRD_ETHER && byteAt(data, 11) === 6) out.srcMacOffset = 12;
      if (!readTags(data, readU16(data, 0), 20, end, out)) return LINK_TRUNCATED;
      return LINK_OK;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_OPENBSD:
      if (end < 1) return LINK_TRUNCATED;
      out.offset = 0;
      out.etherType = etherTypeOfIpVersion(byteAt(data, 0) >> 4);
      return LINK_OK;
    case LINKTYPE_IPV4:
      out.offset = 0;
      out.etherType = ETHERTYPE_IPV4;
      return LINK_OK;
    case LINKTYPE_IPV6:
      out.offset = 0;
      out.etherType = ETHERTYPE_IPV6;
      return LINK_OK;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (end < 4) return LINK_TRUNCATED;
      let family = readU32(data, 0);
      // NULL is in the byte order of the machine that captured; a family fits in 16 bits.
      if (linkType === LINKTYPE_NULL && family > 0xffff) {
        family = readU32InOrder(data, 0, true);
      }
      out.offset = 4;
      out.etherType = family === AF_INET ? ETHERTYPE_IPV4 : AF_INET6_VALUES.has(family) ? ETHERTYPE_IPV6 : 0;
      return LINK_OK;
    }
    default:
      return LINK_UNKNOWN_TYPE;
  }
}

function readEtherType(data: Uint8Array, at: number, end: number, out: LinkLayer): LinkStatus {
  return readTags(data, readU16(data, at), at + 2, end, out) ? LINK_OK : LINK_TRUNCATED;
}

/** Skips any number of VLAN tags (TCI(2) then the next ethertype(2)), recording their ids. */
function readTags(data: Uint8Array, etherType: number, offset: number, end: number, out: LinkLayer): boolean {
  let type = etherType;
  let at = offset;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_LEGACY) {
    if (at + 4 > end) return false;
    out.vlanIds[out.vlanCount++] = readU16(data, at) & 0x0fff;
    type = readU16(data, at + 2);
    at += 4;
  }
  out.etherType = type;
  out.offset = at;
  return true;
}

function etherTypeOfIpVersion(version: number): number {
  return version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : 0;
}
