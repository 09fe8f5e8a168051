/** Container counts of Kubernetes reports (docs/protocol.md, "Kubernetes reports"). */

/** Largest count the unsigned column holds. */
const MAX_CONTAINERS = 4_294_967_295;

/**
 * Reads a namespace's container count: a non-negative integer, or a string of digits. Otherwise
 * returns the per-namespace error message (upstream's exact text for a non-numeric value).
 */
export function parseContainerCount(value: unknown): { count: number } | { error: string } {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_CONTAINERS) {
    return { count: value };
  }
  if (typeof value === 'string' && /^\d{1,10}$/.test(value) && Number(value) <= MAX_CONTAINERS) {
    return { count: Number(value) };
  }
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(value))) {
    return { error: `Field 'containers' expected a non-negative integer but got '${shown}'.` };
  }
  return { error: `Field 'containers' expected a number but got '${shown}'.` };
}
