/**
 * DHCP message names as DHCP servers log them (`DHCPDISCOVER`, `DHCPACK`, `BOOTREQUEST`) to
 * the event's message type and direction: a client message the server received, or the
 * server's own answer.
 */
import type { DhcpMessageType } from './events.js';

const NAMES: Readonly<Record<string, { readonly messageType: DhcpMessageType; readonly action: 'received' | 'sent' }>> =
  {
    DHCPDISCOVER: { messageType: 'discover', action: 'received' },
    DHCPOFFER: { messageType: 'offer', action: 'sent' },
    DHCPREQUEST: { messageType: 'request', action: 'received' },
    DHCPDECLINE: { messageType: 'decline', action: 'received' },
    DHCPACK: { messageType: 'ack', action: 'sent' },
    DHCPNAK: { messageType: 'nak', action: 'sent' },
    DHCPRELEASE: { messageType: 'release', action: 'received' },
    DHCPINFORM: { messageType: 'inform', action: 'received' },
    BOOTP: { messageType: 'bootp', action: 'received' },
    BOOTREQUEST: { messageType: 'bootp', action: 'received' },
    BOOTREPLY: { messageType: 'ack', action: 'sent' },
  };

export function dhcpMessage(
  name: string,
): { readonly messageType: DhcpMessageType; readonly action: 'received' | 'sent' } | undefined {
  return NAMES[name];
}

/** A hardware address as servers print it (`0:e:84:…` by old ISC dhcpd, `00-0E-…`) in lower case, colon separated, two digits each. */
export function normaliseMac(mac: string): string {
  return mac
    .split(/[:-]/)
    .map((b) => b.toLowerCase().padStart(2, '0'))
    .join(':');
}
