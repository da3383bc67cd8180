/**
 * What phonedoc reads from a decoded DHCP message (`decodeDhcp`), each fact read one way:
 * the header fields that say something, and the options about the client, the server and
 * where the phone finds its TFTP server. Consumers keep the message as decoded and ask here.
 */
import { type DhcpMessage, dhcpOptionStrings, dhcpOptionText } from './decode.js';
import {
  DHCP_OPTION_BOOTFILE,
  DHCP_OPTION_CISCO_TFTP_SERVERS,
  DHCP_OPTION_MESSAGE,
  DHCP_OPTION_REQUESTED_IP,
  DHCP_OPTION_SERVER_ID,
  DHCP_OPTION_TFTP_SERVER_NAME,
  DHCP_OPTION_VENDOR_CLASS,
} from './options.js';

const UNSET_ADDRESS = '0.0.0.0';
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** An address header field, when the message sets it (not 0.0.0.0). */
function setAddress(address: string | undefined): string | undefined {
  return address === undefined || address === UNSET_ADDRESS ? undefined : address;
}

/** yiaddr: the address a server offers or acknowledges. */
export function yourAddress(message: DhcpMessage): string | undefined {
  return setAddress(message.yiaddr);
}

/** giaddr: the relay agent the message went through. */
export function relayAgentAddress(message: DhcpMessage): string | undefined {
  return setAddress(message.giaddr);
}

/** siaddr, "next server" (RFC 2131): the TFTP server a BOOTP-style client uses. */
export function nextServerAddress(message: DhcpMessage): string | undefined {
  return setAddress(message.siaddr);
}

/** The sname header field, when not empty (and not given to options by option 52). */
export function serverHostName(message: DhcpMessage): string | undefined {
  return message.sname || undefined;
}

/** The file header field, when not empty (and not given to options by option 52). */
export function bootFileField(message: DhcpMessage): string | undefined {
  return message.file || undefined;
}

/** Option 54: the server that sent the message, or whose offer a REQUEST takes. */
export function serverIdentifier(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_SERVER_ID);
}

/** Option 50: the address a client asks for. */
export function requestedAddress(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_REQUESTED_IP);
}

/** Option 60, e.g. `Cisco Systems, Inc. IP Phone CP-7960G`. */
export function vendorClassIdentifier(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_VENDOR_CLASS);
}

/** Option 56: a server's message (a NAK's reason). */
export function serverMessage(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_MESSAGE);
}

/** Option 66 byte for byte, NULs included (what `transfers` shows). */
export function tftpServerNameAsSent(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_TFTP_SERVER_NAME);
}

/** Option 66 as a name: sent NUL-terminated by some servers (dnsmasq, phone-facts 7.1); undefined when blank. */
export function tftpServerName(message: DhcpMessage): string | undefined {
  return tftpServerNameAsSent(message)?.replace(/\0+$/, '').trim() || undefined;
}

/** Option 150 (Cisco, RFC 5859): TFTP server addresses in order. */
export function tftpServerAddresses(message: DhcpMessage): readonly string[] | undefined {
  return dhcpOptionStrings(message, DHCP_OPTION_CISCO_TFTP_SERVERS);
}

/** Option 67, boot file name. */
export function bootfileName(message: DhcpMessage): string | undefined {
  return dhcpOptionText(message, DHCP_OPTION_BOOTFILE);
}

/** Whether the message names a TFTP server at all: option 66, option 150 or siaddr. */
export function namesTftpServer(message: DhcpMessage): boolean {
  return (
    tftpServerName(message) !== undefined ||
    (tftpServerAddresses(message)?.length ?? 0) > 0 ||
    nextServerAddress(message) !== undefined
  );
}

/** The TFTP servers the message names by address: option 66 when it is an address, the first of option 150. */
export function tftpServersNamedByAddress(message: DhcpMessage): string[] {
  const servers = new Set<string>();
  const name = tftpServerName(message);
  if (name !== undefined && IPV4.test(name)) servers.add(name);
  const [first] = tftpServerAddresses(message) ?? [];
  if (first) servers.add(first);
  return [...servers];
}
