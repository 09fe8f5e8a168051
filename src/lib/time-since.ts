/**
 * "N ago" texts as upstream renders them (Django 3.2 `timesince`): at most two adjacent units among
 * years, months, weeks, days, hours and minutes; `0 minutes` under a minute.
 */

const UNITS: [seconds: number, name: string][] = [
  [365 * 24 * 3600, 'year'],
  [30 * 24 * 3600, 'month'],
  [7 * 24 * 3600, 'week'],
  [24 * 3600, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Leap days in the years [from, to), as Python's calendar.leapdays. */
function countLeapDays(from: number, to: number): number {
  const before = (y: number) => Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  return before(to - 1) - before(from - 1);
}

function formatUnit(count: number, name: string): string {
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}

/** Describes the time from `then` to `now` (`3 days, 4 hours`); future or equal times give `0 minutes`. */
export function describeTimeSince(then: Date, now: Date = new Date()): string {
  // Django removes leap days so that a year is always 365 days.
  let leapDays = countLeapDays(then.getUTCFullYear(), now.getUTCFullYear());
  if (leapDays !== 0) {
    if (isLeapYear(then.getUTCFullYear())) leapDays -= 1;
    else if (isLeapYear(now.getUTCFullYear())) leapDays += 1;
  }
  const since = Math.floor((now.getTime() - then.getTime()) / 1000) - leapDays * 24 * 3600;
  if (since <= 0) return formatUnit(0, 'minute');
  for (let i = 0; i < UNITS.length; i++) {
    const [seconds, name] = UNITS[i] as [number, string];
    const count = Math.floor(since / seconds);
    if (count === 0) continue;
    let text = formatUnit(count, name);
    const next = UNITS[i + 1];
    if (next) {
      const count2 = Math.floor((since - seconds * count) / next[0]);
      if (count2 !== 0) text += `, ${formatUnit(count2, next[1])}`;
    }
    return text;
  }
  return formatUnit(0, 'minute');
}
