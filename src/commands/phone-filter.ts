/**
 * `--phone MAC` for decode and transfers: a phone's packets are its DHCP messages (chaddr),
 * frames it sent (Ethernet source), and TFTP to and from the addresses it is known by — learnt
 * in capture order from its DHCP answers, its own frames, and requests for files named after it.
 */
import type { DecodedPacket } from '../../parsers/capture/decoder.js';
import type { DhcpExchange } from '../../parsers/dhcp/exchanges.js';
import { classifyFileName, type Mac } from '../../parsers/provisioning/file-names.js';

const UNSET = '0.0.0.0';

export class PhoneFilter {
  private readonly addresses = new Set<string>();

  constructor(private readonly mac: Mac) {}

  private learn(ip: string | undefined): void {
    if (ip !== undefined && ip !== UNSET) this.addresses.add(ip);
  }

  /** Whether the packet is the phone's; call for every packet in capture order. */
  packet(p: DecodedPacket): boolean {
    const own = p.srcMac === this.mac.canonical;
    if (own && !p.icmp) this.learn(p.src);
    if (p.proto === 'dhcp') {
      if (p.dhcp.chaddr !== this.mac.canonical) return own;
      this.learn(p.dhcp.yiaddr);
      this.learn(p.dhcp.ciaddr);
      return true;
    }
    if ((p.tftp.opcode === 'RRQ' || p.tftp.opcode === 'WRQ') && this.namedAfter(p.tftp.file)) this.learn(p.src);
    return own || this.addresses.has(p.src) || this.addresses.has(p.dst);
  }

  /** Whether a request for `file` names the phone. */
  namedAfter(file: string): boolean {
    return classifyFileName(file).mac?.canonical === this.mac.canonical;
  }

  exchange(e: DhcpExchange): boolean {
    return e.client === this.mac.canonical;
  }

  /** After the whole capture was read (the addresses are all known by then). */
  hasAddress(ip: string): boolean {
    return this.addresses.has(ip);
  }
}
