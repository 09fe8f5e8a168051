/** JSON with keys sorted at every level, the way Python's `json.dumps(sort_keys=True, indent=4)` writes it. */
export function stringifySorted(value: unknown, indent = 4): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/** Returns a copy of `value` whose objects list their keys in code-point order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
