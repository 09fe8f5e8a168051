import { describe, expect, test } from 'bun:test';
import { formatRfc5322 } from '../../src/lib/format-date.ts';

describe('formatRfc5322', () => {
  test('formats UTC as upstream tooltips do', () => {
    expect(formatRfc5322(new Date('2018-06-26T16:46:33.213Z'))).toBe('Tue, 26 Jun 2018 16:46:33 +0000');
  });
  test('uses the configured time zone and its offset', () => {
    expect(formatRfc5322(new Date('2018-06-26T16:46:33Z'), 'Europe/Rome')).toBe(
      'Tue, 26 Jun 2018 18:46:33 +0200',
    );
    expect(formatRfc5322(new Date('2018-01-02T01:00:00Z'), 'America/St_Johns')).toBe(
      'Mon, 01 Jan 2018 21:30:00 -0330',
    );
  });
  test('midnight is 00, not 24', () => {
    expect(formatRfc5322(new Date('2020-02-29T00:00:05Z'))).toBe('Sat, 29 Feb 2020 00:00:05 +0000');
  });
});
