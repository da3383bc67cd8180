/**
 * DHCP- and TFTP-server lines of dnsmasq, ISC dhcpd and Kea, each in the layout the program
 * writes (format strings quoted from its source), inside the syslog frames they arrive in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerLogEvent } from '../../parsers/server-log/events.js';
import { parseServerLog, parseServerLogLine } from '../../parsers/server-log/parse.js';
import { defined, nth, utcSeconds } from '../helpers.js';

const CONTEXT = { referenceTime: utcSeconds('2026-12-07T06:00:00Z'), utcOffsetMinutes: 0 };

function pick(e: ServerLogEvent | undefined, keys: readonly string[]): Record<string, unknown> {
  const record = defined(e, 'a parsed event') as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

const DHCP_KEYS = [
  'kind',
  'program',
  'action',
  'messageType',
  'ip',
  'mac',
  'xid',
  'via',
  'reason',
  'hostname',
  'serverId',
];

describe('dnsmasq DHCP (src/rfc2131.c log_packet: "%s(%s) %s%s%s%s%s%s", with --log-dhcp "%u " first)', () => {
  it('reads a whole --log-dhcp exchange as logged to a file by --log-facility (no host), the xid tying its lines', () => {
    const events = parseServerLog(
      [
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 vendor class: Cisco Systems, Inc. IP Phone CP-7960G',
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 DHCPDISCOVER(veth0) 00:0e:84:c0:60:a6 ',
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 DHCPOFFER(veth0) 192.168.77.51 00:0e:84:c0:60:a6 ',
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 sent size:  4 option:150 tftp-server-address  192.168.77.1',
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 DHCPREQUEST(veth0) 192.168.77.51 00:0e:84:c0:60:a6 ',
        'Dec  7 05:58:59 dnsmasq-dhcp[10904]: 2832516949 DHCPACK(veth0) ' +
          '192.168.77.51 00:0e:84:c0:60:a6 SEP000E84C060A6',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, [...DHCP_KEYS, 'detail', 'option', 'value'])),
      [
        {
          kind: 'dhcp-detail',
          program: 'dnsmasq',
          xid: 2832516949,
          detail: 'vendor-class',
          value: 'Cisco Systems, Inc. IP Phone CP-7960G',
        },
        {
          kind: 'dhcp',
          program: 'dnsmasq',
          action: 'received',
          messageType: 'discover',
          mac: '00:0e:84:c0:60:a6',
          xid: 2832516949,
          via: 'veth0',
        },
        {
          kind: 'dhcp',
          program: 'dnsmasq',
          action: 'sent',
          messageType: 'offer',
          ip: '192.168.77.51',
          mac: '00:0e:84:c0:60:a6',
          xid: 2832516949,
          via: 'veth0',
        },
        {
          kind: 'dhcp-detail',
          program: 'dnsmasq',
          xid: 2832516949,
          detail: 'option',
          option: 150,
          value: '192.168.77.1',
        },
        {
          kind: 'dhcp',
          program: 'dnsmasq',
          action: 'received',
          messageType: 'request',
          ip: '192.168.77.51',
          mac: '00:0e:84:c0:60:a6',
          xid: 2832516949,
          via: 'veth0',
        },
        {
          kind: 'dhcp',
          program: 'dnsmasq',
          action: 'sent',
          messageType: 'ack',
          ip: '192.168.77.51',
          mac: '00:0e:84:c0:60:a6',
          xid: 2832516949,
          via: 'veth0',
          hostname: 'SEP000E84C060A6',
        },
      ],
    );
    assert.equal(nth(events, 0).time, utcSeconds('2026-12-07T05:58:59.000Z'));
  });

  it('reads a NAK with its reason and a DISCOVER left unanswered, without --log-dhcp (no xid)', () => {
    // Reasons from rfc2131.c: `message = _("wrong network")`, `_("no address available")`.
    const [nak, none] = parseServerLog(
      'Dec  7 05:58:44 vm dnsmasq-dhcp[10000]: DHCPNAK(eth0) 10.9.9.9 00:11:22:33:44:66 wrong network\n' +
        'Dec  7 05:58:45 vm dnsmasq-dhcp[10000]: DHCPDISCOVER(eth0) 00:11:22:33:44:55 no address available\n',
      CONTEXT,
    );
    assert.deepEqual(pick(nak, DHCP_KEYS), {
      kind: 'dhcp',
      program: 'dnsmasq',
      action: 'sent',
      messageType: 'nak',
      ip: '10.9.9.9',
      mac: '00:11:22:33:44:66',
      via: 'eth0',
      reason: 'wrong network',
    });
    assert.deepEqual(pick(none, DHCP_KEYS), {
      kind: 'dhcp',
      program: 'dnsmasq',
      action: 'received',
      messageType: 'discover',
      mac: '00:11:22:33:44:55',
      via: 'eth0',
      reason: 'no address available',
    });
  });

  it('reads start-up and --log-dhcp detail lines as understood, not as unknown', () => {
    const events = parseServerLog(
      [
        'Nov 26 08:03:36 dnsmasq[25735]: started, version 2.90 DNS disabled',
        'Nov 26 08:03:36 dnsmasq[25735]: compile time options: ' +
          'IPv6 GNU-getopt DBus no-UBus i18n IDN2 DHCP DHCPv6 no-Lua TFTP',
        'Nov 26 08:03:36 dnsmasq-dhcp[25735]: DHCP, IP range 192.0.2.100 -- 192.0.2.149, lease time 1h',
        'Nov 26 08:03:37 dnsmasq-dhcp[25735]: 1611704297 requested options: ' +
          '1:netmask, 3:router, 6:dns-server, 15:domain-name, ',
        'Nov 26 08:03:37 dnsmasq-dhcp[25735]: 1611704297 broadcast response',
        'Nov 26 08:03:38 dnsmasq[25735]: exiting on receipt of SIGTERM',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => e.kind),
      ['server-start', 'info', 'info', 'dhcp-detail', 'dhcp-detail', 'info'],
    );
  });
});

describe('dnsmasq TFTP (src/tftp.c)', () => {
  it('reads "sent", "file … not found for", a client error and "failed sending", the name taken under the logged TFTP root', () => {
    const events = parseServerLog(
      [
        'Dec  7 05:58:40 vm dnsmasq[10000]: TFTP root is /srv/tftp  ',
        'Dec  7 05:58:51 vm dnsmasq-tftp[10000]: sent /srv/tftp/SEP001122334455.cnf.xml to 192.168.77.200',
        'Dec  7 05:58:52 vm dnsmasq-tftp[10000]: file /srv/tftp/P0S3-8-12-00.sb2 not found for 192.168.77.200',
        'Dec  7 05:58:53 vm dnsmasq-tftp[10000]: error 0 client abort received from 192.168.77.200',
        'Dec  7 05:58:53 vm dnsmasq-tftp[10000]: failed sending /srv/tftp/firmware/P003-8-12-00.sbn to 192.168.77.200',
        'Dec  7 05:58:54 vm dnsmasq-tftp[10000]: cannot access /srv/tftp/secret.txt: Permission denied',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, ['kind', 'file', 'path', 'client', 'code', 'fromPeer'])),
      [
        { kind: 'server-start' },
        {
          kind: 'finished',
          file: 'SEP001122334455.cnf.xml',
          path: '/srv/tftp/SEP001122334455.cnf.xml',
          client: '192.168.77.200',
        },
        {
          kind: 'not-found',
          file: 'P0S3-8-12-00.sb2',
          path: '/srv/tftp/P0S3-8-12-00.sb2',
          client: '192.168.77.200',
          code: 1,
        },
        { kind: 'error', client: '192.168.77.200', code: 0, fromPeer: true },
        {
          kind: 'error',
          file: 'firmware/P003-8-12-00.sbn',
          path: '/srv/tftp/firmware/P003-8-12-00.sbn',
          client: '192.168.77.200',
        },
        { kind: 'error', file: 'secret.txt', path: '/srv/tftp/secret.txt', code: 2 },
      ],
    );
  });

  it('reads a real dnsmasq 2.90 run (--log-facility FILE), and the same lines as it writes them to its standard error', () => {
    // Run here: dnsmasq --port=0 --enable-tftp --tftp-root=/tmp/dq/root
    // --log-facility=/tmp/dq/dnsmasq.log, busybox tftp -g.
    const file = parseServerLog(
      [
        'Dec  7 06:53:07 dnsmasq[16105]: started, version 2.90 DNS disabled',
        'Dec  7 06:53:07 dnsmasq-tftp[16105]: TFTP root is /tmp/dq/root  ',
        'Dec  7 06:53:08 dnsmasq-tftp[16105]: sent /tmp/dq/root/SEP000E84C060A6.cnf.xml to 127.0.0.1',
        'Dec  7 06:53:08 dnsmasq-tftp[16105]: file /tmp/dq/root/P0S3-8-12-00.sb2 not found for 127.0.0.1',
        'Dec  7 06:53:09 dnsmasq[16105]: exiting on receipt of SIGTERM',
      ].join('\n'),
      CONTEXT,
    );
    const stderr = parseServerLog(
      [
        'dnsmasq: started, version 2.90 DNS disabled',
        'dnsmasq-tftp: TFTP root is /tmp/dq/root  ',
        'dnsmasq-tftp: sent /tmp/dq/root/SEP000E84C060A6.cnf.xml to 127.0.0.1',
        'dnsmasq-tftp: file /tmp/dq/root/P0S3-8-12-00.sb2 not found for 127.0.0.1',
        'dnsmasq: exiting on receipt of SIGTERM',
      ].join('\n'),
      CONTEXT,
    );
    for (const events of [file, stderr]) {
      assert.deepEqual(
        events.map((e) => pick(e, ['kind', 'program', 'file', 'client'])),
        [
          { kind: 'server-start', program: 'dnsmasq' },
          { kind: 'server-start', program: 'dnsmasq' },
          { kind: 'finished', program: 'dnsmasq', file: 'SEP000E84C060A6.cnf.xml', client: '127.0.0.1' },
          { kind: 'not-found', program: 'dnsmasq', file: 'P0S3-8-12-00.sb2', client: '127.0.0.1' },
          { kind: 'info', program: 'dnsmasq' },
        ],
      );
    }
  });

  it('without the root line, takes the last part of the path (a phone asks for flat names)', () => {
    const e = parseServerLogLine(
      '<27>Dec  7 05:58:52 dnsmasq-tftp[10000]: file /var/lib/tftpboot/OS79XX.TXT not found for 192.0.2.10',
      1,
      CONTEXT,
    );
    assert.deepEqual(pick(e, ['kind', 'program', 'file', 'client']), {
      kind: 'not-found',
      program: 'dnsmasq',
      file: 'OS79XX.TXT',
      client: '192.0.2.10',
    });
  });
});

describe('ISC dhcpd (server/dhcp.c; openlog("dhcpd", LOG_PID))', () => {
  it('reads DISCOVER, OFFER, REQUEST with the server it names, ACK, and a refusal with its reason', () => {
    const events = parseServerLog(
      [
        'Dec  7 06:00:01 vm dhcpd[11479]: DHCPDISCOVER from 00:0e:84:c0:60:a6 via eth0',
        'Dec  7 06:00:01 vm dhcpd[11479]: DHCPOFFER on 192.168.77.60 to 00:0e:84:c0:60:a6 (SEP000E84C060A6) via eth0',
        'Dec  7 06:00:02 vm dhcpd[11479]: DHCPREQUEST for 192.168.77.60 (192.168.77.1) ' +
          'from 00:0e:84:c0:60:a6 (SEP000E84C060A6) via eth0',
        'Dec  7 06:00:02 vm dhcpd[11479]: DHCPACK on 192.168.77.60 to 00:0e:84:c0:60:a6 (SEP000E84C060A6) via eth0',
        'Dec  7 06:00:03 vm dhcpd[11479]: DHCPDISCOVER from 00:11:22:33:44:77 via 10.1.1.1: ' +
          'network 192.168.77.0/24: no free leases',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, DHCP_KEYS)),
      [
        {
          kind: 'dhcp',
          program: 'isc-dhcpd',
          action: 'received',
          messageType: 'discover',
          mac: '00:0e:84:c0:60:a6',
          via: 'eth0',
        },
        {
          kind: 'dhcp',
          program: 'isc-dhcpd',
          action: 'sent',
          messageType: 'offer',
          ip: '192.168.77.60',
          mac: '00:0e:84:c0:60:a6',
          via: 'eth0',
          hostname: 'SEP000E84C060A6',
        },
        {
          kind: 'dhcp',
          program: 'isc-dhcpd',
          action: 'received',
          messageType: 'request',
          ip: '192.168.77.60',
          mac: '00:0e:84:c0:60:a6',
          via: 'eth0',
          hostname: 'SEP000E84C060A6',
          serverId: '192.168.77.1',
        },
        {
          kind: 'dhcp',
          program: 'isc-dhcpd',
          action: 'sent',
          messageType: 'ack',
          ip: '192.168.77.60',
          mac: '00:0e:84:c0:60:a6',
          via: 'eth0',
          hostname: 'SEP000E84C060A6',
        },
        {
          kind: 'dhcp',
          program: 'isc-dhcpd',
          action: 'received',
          messageType: 'discover',
          mac: '00:11:22:33:44:77',
          via: '10.1.1.1',
          reason: 'network 192.168.77.0/24: no free leases',
        },
      ],
    );
  });

  it('reads a NAK after a REQUEST for a wrong network, and the short MAC old versions print', () => {
    const [request, nak, old] = parseServerLog(
      [
        'Dec  7 06:00:04 vm dhcpd[11479]: DHCPREQUEST for 10.9.9.9 from 00:11:22:33:44:66 via veth0: wrong network.',
        'Dec  7 06:00:04 vm dhcpd[11479]: DHCPNAK on 10.9.9.9 to 00:11:22:33:44:66 via veth0',
        'Dec  7 06:00:05 vm dhcpd: DHCPACK on 10.0.0.5 to 0:e:84:c0:60:a6 via eth1',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(pick(request, ['messageType', 'reason']), { messageType: 'request', reason: 'wrong network' });
    assert.deepEqual(pick(nak, ['action', 'messageType', 'ip', 'mac']), {
      action: 'sent',
      messageType: 'nak',
      ip: '10.9.9.9',
      mac: '00:11:22:33:44:66',
    });
    assert.equal(pick(old, ['mac']).mac, '00:0e:84:c0:60:a6');
  });
});

describe('Kea DHCPv4 (dhcp4_messages.mes; layout "%D{%Y-%m-%d %H:%M:%S.%q} %-5p [%c/%i.%t] %m")', () => {
  const label = '[hwtype=1 00:0e:84:c0:60:a6], cid=[no info], tid=0x1a2b3c4d';
  it("reads the packet received, the lease offered and allocated, each with the client label's MAC and xid", () => {
    const events = parseServerLog(
      [
        `2026-12-07 06:10:00.123 INFO  [kea-dhcp4.packets/812.140245] DHCP4_PACKET_RECEIVED ${label}: ` +
          `DHCPDISCOVER (type 1) received from 0.0.0.0 to 255.255.255.255 on interface eth0`,
        `2026-12-07 06:10:00.125 INFO  [kea-dhcp4.leases/812.140245] ` +
          `DHCP4_LEASE_OFFER ${label}: lease 192.0.2.20 will be offered`,
        `2026-12-07 06:10:00.300 INFO  [kea-dhcp4.leases/812.140245] DHCP4_LEASE_ALLOC ${label}: ` +
          `lease 192.0.2.20 has been allocated for 4000 seconds`,
        '2026-12-07 06:09:59.000 INFO  [kea-dhcp4.dhcp4/812.140245] ' +
          'DHCP4_STARTED Kea DHCPv4 server version 2.4.1 started',
      ].join('\n'),
      CONTEXT,
    );
    assert.deepEqual(
      events.map((e) => pick(e, [...DHCP_KEYS, 'time'])),
      [
        {
          kind: 'dhcp',
          program: 'kea',
          action: 'received',
          messageType: 'discover',
          mac: '00:0e:84:c0:60:a6',
          xid: 0x1a2b3c4d,
          via: 'eth0',
          time: utcSeconds('2026-12-07T06:10:00.123Z'),
        },
        {
          kind: 'dhcp',
          program: 'kea',
          action: 'sent',
          messageType: 'offer',
          ip: '192.0.2.20',
          mac: '00:0e:84:c0:60:a6',
          xid: 0x1a2b3c4d,
          time: utcSeconds('2026-12-07T06:10:00.125Z'),
        },
        {
          kind: 'dhcp',
          program: 'kea',
          action: 'sent',
          messageType: 'ack',
          ip: '192.0.2.20',
          mac: '00:0e:84:c0:60:a6',
          xid: 0x1a2b3c4d,
          time: utcSeconds('2026-12-07T06:10:00.300Z'),
        },
        { kind: 'info', program: 'kea', time: utcSeconds('2026-12-07T06:09:59.000Z') },
      ],
    );
  });

  it('reads the syslog layout "%-5p [%c.%t] %m" after a syslog frame', () => {
    const e = parseServerLogLine(
      `Dec  7 06:10:01 gw kea-dhcp4[812]: INFO  [kea-dhcp4.packets.140245] DHCP4_PACKET_NAK_0001 ${label}: ` +
        `failed to select a subnet for incoming packet, src 0.0.0.0, type DHCPREQUEST`,
      1,
      CONTEXT,
    );
    assert.deepEqual(pick(e, ['kind', 'program', 'action', 'messageType', 'mac', 'reason']), {
      kind: 'dhcp',
      program: 'kea',
      action: 'sent',
      messageType: 'nak',
      mac: '00:0e:84:c0:60:a6',
      reason: 'failed to select a subnet for incoming packet, src 0.0.0.0, type DHCPREQUEST',
    });
  });
});
