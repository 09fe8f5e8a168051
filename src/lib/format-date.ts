/** Dates as upstream's tooltips show them: RFC 5322 (`Tue, 26 Jun 2018 16:46:33 +0000`) in a time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Formats `date` as an RFC 5322 date-time in `timeZone` (an IANA name such as `Europe/Rome`). */
export function formatRfc5322(date: Date, timeZone = 'UTC'): string {
  const parts: Record<string, string> = {};
  for (const part of getFormatter(timeZone).formatToParts(date)) parts[part.type] = part.value;
  // longOffset is `GMT`, `GMT+02:00` or `GMT-03:30`.
  const offset = /GMT([+-])(\d\d):(\d\d)/.exec(parts.timeZoneName ?? '');
  const zone = offset ? `${offset[1]}${offset[2]}${offset[3]}` : '+0000';
  return `${parts.weekday}, ${parts.day} ${parts.month} ${parts.year} ${parts.hour}:${parts.minute}:${parts.second} ${zone}`;
}
