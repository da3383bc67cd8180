import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoMillis, isoTime, readIsoUtc } from '../../parsers/time/iso.js';

describe('ISO 8601 times', () => {
  it('writes as many fractional digits as asked, cut rather than rounded, none for 0 digits', () => {
    assert.equal(isoTime(1795674143, 123_456_789, 6), '2026-11-26T06:22:23.123456Z');
    assert.equal(isoTime(1795674143, 123_456_789, 9), '2026-11-26T06:22:23.123456789Z');
    assert.equal(isoTime(1795674143, 999_999_999, 3), '2026-11-26T06:22:23.999Z');
    assert.equal(isoTime(1795674143, 5, 0), '2026-11-26T06:22:23Z');
  });

  it('writes a time before 1970 and one past year 9999 (a damaged capture) as Date does, the year expanded', () => {
    assert.equal(isoTime(-1, 0, 3), '1969-12-31T23:59:59.000Z');
    assert.equal(isoTime(253402300800, 0, 0), '+010000-01-01T00:00:00Z');
    // Past Date's range the calendar is still counted.
    assert.equal(isoTime(8.64e12 + 86400, 0, 0), '+275760-09-14T00:00:00Z');
  });

  it('writes seconds to the millisecond, not rounded up past it, a thousandth held in binary kept', () => {
    assert.equal(isoMillis(1795674143.1239), '2026-11-26T06:22:23.123Z');
    assert.equal(isoMillis(0.123), '1970-01-01T00:00:00.123Z');
    assert.equal(isoMillis(1795674143.999_9), '2026-11-26T06:22:23.999Z');
    assert.equal(isoMillis(-0.0005), '1969-12-31T23:59:59.999Z');
  });

  it('reads back what it writes, and only real dates', () => {
    const text = `${isoMillis(1795674143.123)} DHCP INIT`;
    assert.deepEqual(readIsoUtc(text), { seconds: 1795674143.123, length: 24 });
    assert.deepEqual(readIsoUtc('2026-11-26T06:22:23Z'), { seconds: 1795674143, length: 20 });
    assert.equal(readIsoUtc('2026-02-30T06:22:23.000Z'), undefined);
    assert.equal(readIsoUtc('2026-11-26T24:00:00.000Z'), undefined);
    assert.equal(readIsoUtc('2026-11-26 06:22:23Z'), undefined);
  });
});
