/**
 * The Kubernetes report (docs/protocol.md, "Kubernetes reports"): which images run in one cluster,
 * as image name → namespace → container count. The cluster and the shape are checked here (400);
 * each namespace's name and count are checked when the report is applied, where a bad one is a
 * per-namespace error in a 202 answer, as upstream.
 */
import * as v from 'valibot';
import { isStorableText, MAX_NAME_LENGTH } from './report.ts';

const LACKS_CLUSTER = 'The payload lacks the required "cluster" key (a non-empty string)';

/** A JSON object (valibot's record alone would take an array too). */
function dictionaryOf<T extends v.GenericSchema>(values: T) {
  return v.pipe(
    v.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'is not a dictionary',
    ),
    v.record(v.string(), values),
  );
}

export const KubernetesReportSchema = v.object({
  cluster: v.pipe(
    v.optional(v.string(LACKS_CLUSTER), ''),
    v.minLength(1, LACKS_CLUSTER),
    v.maxLength(MAX_NAME_LENGTH, `The "cluster" name is longer than ${MAX_NAME_LENGTH} characters`),
    // On MariaDB 'c1 ' would select, and replace, the rows of cluster 'c1'.
    v.check(
      isStorableText,
      'The "cluster" name must not end with a space or hold an unpaired surrogate escape',
    ),
  ),
  images: v.optional(dictionaryOf(dictionaryOf(v.unknown())), {}),
});
export type KubernetesReport = v.InferOutput<typeof KubernetesReportSchema>;

/**
 * The one-line 400 text for a report the schema refused: the cluster's own message, or for the
 * images the prefix naming the cluster and what is wrong.
 */
export function describeKubernetesIssue(body: Record<string, unknown>, issue: v.BaseIssue<unknown>): string {
  const [first, image] = issue.path ?? [];
  if (first?.key !== 'images') return issue.message;
  const prefix = `Unable to update Kubernetes images for cluster ${String(body.cluster)}`;
  if (image === undefined) return `${prefix}: "images" is not a dictionary`;
  return `${prefix}: the namespaces of image '${String(image.key)}' are not a dictionary`;
}
