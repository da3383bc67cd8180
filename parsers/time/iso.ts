/**
 * Instants written as ISO 8601 UTC, the one place that turns seconds since the epoch into
 * text. Inside phonedoc a time is a number of seconds; a view makes it text only to print it.
 */

/**
 * ISO 8601 UTC of whole `seconds` since the epoch and `nanos` more, with `digits` fractional
 * digits (cut, not rounded), e.g. `2026-11-26T06:22:23.123456Z`; no fraction for 0 digits.
 * Past year 9999 (a damaged timestamp) the year takes a sign and six or more digits, ISO
 * 8601's expanded form, as `Date.toISOString` writes it.
 */
export function isoTime(seconds: number, nanos: number, digits: number): string {
  const base = dateAndTime(seconds);
  if (digits <= 0) return `${base}Z`;
  const fraction = String(nanos).padStart(9, '0').slice(0, Math.min(digits, 9));
  return `${base}.${fraction}Z`;
}

/** ISO 8601 UTC to the millisecond of fractional seconds since the epoch, cut to the millisecond (not rounded up past it). */
export function isoMillis(seconds: number): string {
  // The thousandth of a millisecond keeps 0.123 s, held as 0.12299999…, at .123.
  const millis = Math.floor(seconds * 1000 + 1e-3);
  const whole = Math.floor(millis / 1000);
  return isoTime(whole, (millis - whole * 1000) * 1e6, 3);
}

type SixNumbers = [number, number, number, number, number, number];

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z/;

/**
 * Seconds since the epoch (to the millisecond) of an ISO 8601 UTC time at the start of `text`
 * (`2026-11-26T06:22:23.123Z`, as `isoMillis` writes it), with the length it takes; undefined
 * when there is none or it is not a real date (30 February, 24:00).
 */
export function readIsoUtc(text: string): { seconds: number; length: number } | undefined {
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  // The pattern's six groups are all there: year, month, day, hour, minute, second.
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as SixNumbers;
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  const millis = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const date = new Date(millis);
  // Date.UTC rolls 30 February over into March: a time that does not read back is not one.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return { seconds: millis / 1000, length: m[0].length };
}

/** `Date` reaches 8.64e15 ms either side of the epoch; a pcapng timestamp reaches 2^64 units. */
const DATE_LIMIT_SECONDS = 8.64e12;

/** `YYYY-MM-DDTHH:MM:SS` (UTC) of whole seconds since the epoch, for any number of seconds. */
function dateAndTime(seconds: number): string {
  if (Math.abs(seconds) <= DATE_LIMIT_SECONDS) return new Date(seconds * 1000).toISOString().slice(0, -5);
  // Beyond Date's range: days to a proleptic Gregorian date (H. Hinnant, "civil_from_days"),
  // in BigInt because such a count of seconds is past 2^53.
  const total = BigInt(Math.trunc(seconds));
  let days = total / 86400n;
  let second = total % 86400n;
  if (second < 0n) {
    second += 86400n;
    days -= 1n;
  }
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const dayOfEra = z - era * 146097n;
  const yearOfEra = (dayOfEra - dayOfEra / 1460n + dayOfEra / 36524n - dayOfEra / 146096n) / 365n;
  const dayOfYear = dayOfEra - (365n * yearOfEra + yearOfEra / 4n - yearOfEra / 100n);
  const mp = (5n * dayOfYear + 2n) / 153n;
  const day = dayOfYear - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yearOfEra + era * 400n + (month <= 2n ? 1n : 0n);
  const two = (n: bigint): string => String(n).padStart(2, '0');
  const sign = year < 0n ? '-' : '+';
  return (
    `${sign}${String(year < 0n ? -year : year).padStart(6, '0')}-${two(month)}-${two(day)}` +
    `T${two(second / 3600n)}:${two((second / 60n) % 60n)}:${two(second % 60n)}`
  );
}
