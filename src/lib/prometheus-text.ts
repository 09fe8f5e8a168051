/** Prometheus text exposition format 0.0.4: metric families, escaped labels, counters and histograms. */

export type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

/** One metric family: its HELP and TYPE lines, then its samples. */
export function formatFamily(
  name: string,
  type: 'gauge' | 'counter' | 'histogram',
  help: string,
  samples: Iterable<[labels: Labels, value: number, suffix?: string]>,
): string {
  let text = `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
  for (const [labels, value, suffix] of samples)
    text += `${name}${suffix ?? ''}${formatLabels(labels)} ${formatValue(value)}\n`;
  return text;
}

/** A counter per label set. */
export class CounterSet {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  add(labels: Labels, amount = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += amount;
    this.values.set(key, entry);
  }
  *samples(): Iterable<[Labels, number]> {
    for (const { labels, value } of this.values.values()) yield [labels, value];
  }
}

/** A histogram per label set, with fixed upper bounds (in the metric's unit). */
export class HistogramSet {
  readonly series = new Map<string, { labels: Labels; buckets: number[]; sum: number; count: number }>();
  constructor(readonly bounds: readonly number[]) {}
  observe(labels: Labels, value: number): void {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    this.bounds.forEach((bound, index) => {
      if (value <= bound) entry.buckets[index]! += 1;
    });
    entry.sum += value;
    entry.count += 1;
  }
  *samples(): Iterable<[Labels, number, string]> {
    for (const { labels, buckets, sum, count } of this.series.values()) {
      for (const [index, bound] of this.bounds.entries())
        yield [{ ...labels, le: String(bound) }, buckets[index]!, '_bucket'];
      yield [{ ...labels, le: '+Inf' }, count, '_bucket'];
      yield [labels, sum, '_sum'];
      yield [labels, count, '_count'];
    }
  }
}
