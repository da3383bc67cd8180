import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootFileField,
  namesTftpServer,
  nextServerAddress,
  relayAgentAddress,
  tftpServerName,
  tftpServerNameAsSent,
  tftpServersNamedByAddress,
  yourAddress,
} from '../../parsers/dhcp/fields.js';
import { dhcpMessage, PHONE_DISCOVER, type DhcpOptionValues } from '../dhcp-message.js';

const ack = (options: DhcpOptionValues, header: { siaddr?: string; yiaddr?: string; file?: string } = {}) =>
  dhcpMessage({ ...PHONE_DISCOVER, op: 2, messageType: 'ACK', ...header }, options);

describe('what a DHCP reply says, read from the decoded message', () => {
  it('option 66 sent NUL-terminated (dnsmasq) names the server without the NUL; transfers shows it as sent', () => {
    const reply = ack({ tftpServerName: '192.0.2.5\0' });
    assert.equal(tftpServerName(reply), '192.0.2.5');
    assert.equal(tftpServerNameAsSent(reply), '192.0.2.5\0');
    assert.deepEqual(tftpServersNamedByAddress(reply), ['192.0.2.5']);
  });

  it('an option 66 of NULs and blanks names no server', () => {
    const reply = ack({ tftpServerName: ' \0\0' });
    assert.equal(tftpServerName(reply), undefined);
    assert.equal(namesTftpServer(reply), false);
  });

  it('a server named by host name in option 66 is not an address; option 150 gives its first', () => {
    const reply = ack({ tftpServerName: 'tftp.example', tftpServers: ['192.0.2.10', '192.0.2.11'] });
    assert.deepEqual(tftpServersNamedByAddress(reply), ['192.0.2.10']);
    assert.equal(namesTftpServer(reply), true);
  });

  it('siaddr alone names a TFTP server (BOOTP style); 0.0.0.0 is no address', () => {
    assert.equal(namesTftpServer(ack({}, { siaddr: '192.0.2.1' })), true);
    assert.equal(nextServerAddress(ack({}, { siaddr: '192.0.2.1' })), '192.0.2.1');
    const bare = ack({});
    assert.equal(namesTftpServer(bare), false);
    assert.equal(nextServerAddress(bare), undefined);
    assert.equal(yourAddress(bare), undefined);
    assert.equal(relayAgentAddress(bare), undefined);
    assert.equal(bootFileField(bare), undefined);
  });
});
