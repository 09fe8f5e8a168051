/** @jsxImportSource hono/jsx */
/** "N ago" with the exact date (RFC 5322, in the configured time zone) on hover. */
import { formatRfc5322 } from '../../../lib/format-date.ts';
import { describeTimeSince } from '../../../lib/time-since.ts';

/** The request's clock: pages render "N ago" against `now`, dates in `timeZone`. */
export interface Clock {
  now: Date;
  timeZone: string;
}

/** Renders `<time>`; nothing when there is no date (upstream printed a lone " ago"). */
export function TimeAgo(props: { date: Date | null; clock: Clock }) {
  if (!props.date) return null;
  return (
    <time datetime={props.date.toISOString()} title={formatRfc5322(props.date, props.clock.timeZone)}>
      {describeTimeSince(props.date, props.clock.now)} ago
    </time>
  );
}
