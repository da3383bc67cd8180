import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerLog, parseServerLogLine } from '../../parsers/server-log/parse.js';
import { utcSeconds } from '../helpers.js';

const RRQ = 'in.tftpd[1]: RRQ from 192.0.2.5 filename SIPDefault.cnf';

describe('year-less times', () => {
  const NEW_YEAR = [`Dec 31 23:59:58 lab ${RRQ}`, `Jan  1 00:00:03 lab ${RRQ}`].join('\n');

  it('reads a log across New Year with the reference at its first packet', () => {
    const events = parseServerLog(NEW_YEAR, { referenceTime: utcSeconds('2026-12-31T23:59:50Z'), utcOffsetMinutes: 0 });
    assert.deepEqual(
      events.map((e) => e.time),
      ['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:03.000Z'].map(utcSeconds),
    );
  });

  it('reads it the same with the reference at the file mtime, after New Year', () => {
    const events = parseServerLog(NEW_YEAR, { referenceTime: utcSeconds('2027-01-01T00:10:00Z'), utcOffsetMinutes: 0 });
    assert.deepEqual(
      events.map((e) => e.time),
      ['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:03.000Z'].map(utcSeconds),
    );
  });

  it('puts the New Year in local time when the log is not in UTC', () => {
    // Tokyo (UTC+9): local midnight of 1 January is 15:00 UTC on 31 December.
    const events = parseServerLog(NEW_YEAR, {
      referenceTime: utcSeconds('2026-12-31T14:59:50Z'),
      utcOffsetMinutes: 540,
    });
    assert.deepEqual(
      events.map((e) => e.time),
      ['2026-12-31T14:59:58.000Z', '2026-12-31T15:00:03.000Z'].map(utcSeconds),
    );
  });

  it('reads tftpd32 day-first stamps across New Year', () => {
    const events = parseServerLog('Using local port 1 [31/12 23:59:59.999]\nUsing local port 2 [01/01 00:00:00.001]', {
      referenceTime: utcSeconds('2027-01-01T00:00:00Z'),
      utcOffsetMinutes: 0,
    });
    assert.deepEqual(
      events.map((e) => e.time),
      ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.001Z'].map(utcSeconds),
    );
  });

  it('takes 29 February only from a leap year', () => {
    const e = parseServerLogLine(`Feb 29 12:00:00 lab ${RRQ}`, 1, {
      referenceTime: utcSeconds('2027-06-01T00:00:00Z'),
      utcOffsetMinutes: 0,
    });
    assert.equal(e.time, utcSeconds('2028-02-29T12:00:00.000Z'));
  });

  it('leaves the time out, keeping the event, when the date does not exist', () => {
    const e = parseServerLogLine('Using local port 5 [30/02 10:00:00.000]', 1, {
      referenceTime: utcSeconds('2026-11-26T00:00:00Z'),
      utcOffsetMinutes: 0,
    });
    assert.equal(e.kind, 'local-port');
    assert.equal(e.time, undefined);
  });

  it('does not apply the context to a time that has its own zone', () => {
    const e = parseServerLogLine(`2026-11-26T06:22:23.123-05:00 lab ${RRQ}`, 1, {
      referenceTime: utcSeconds('2020-01-01T00:00:00Z'),
      utcOffsetMinutes: 60,
    });
    assert.equal(e.time, utcSeconds('2026-11-26T11:22:23.123Z'));
    assert.equal(e.timeAssumes, undefined);
  });
});

describe('zones no clock is in', () => {
  const context = { referenceTime: utcSeconds('2026-11-26T00:00:00Z'), utcOffsetMinutes: 0 };
  const at = (zone: string): number | undefined =>
    parseServerLogLine(
      `2026-11-26T08:03:49${zone} gw dnsmasq-tftp[1]: sent /srv/tftp/OS79XX.TXT to 192.0.2.10`,
      1,
      context,
    ).time;

  it('+14:00 and -12:00 are zones; +99:99, +15:00 and -13:00 are read as no zone, not as a shift of days', () => {
    assert.equal(at('+14:00'), utcSeconds('2026-11-25T18:03:49Z'));
    assert.equal(at('-12:00'), utcSeconds('2026-11-26T20:03:49Z'));
    for (const zone of ['+99:99', '+15:00', '-13:00', '+05:60'])
      assert.equal(at(zone), utcSeconds('2026-11-26T08:03:49Z'), zone);
  });
});
