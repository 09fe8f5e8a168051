/** The Kubernetes report's schema and its one-line messages. */
import { describe, expect, test } from 'bun:test';
import * as v from 'valibot';
import { describeKubernetesIssue, KubernetesReportSchema } from '../../src/protocol/kubernetes-report.ts';

function messageFor(body: Record<string, unknown>): string | null {
  const parsed = v.safeParse(KubernetesReportSchema, body);
  return parsed.success ? null : describeKubernetesIssue(body, parsed.issues[0] as v.BaseIssue<unknown>);
}

describe('KubernetesReportSchema', () => {
  test('accepts a cluster with images and namespaces, and a cluster without images', () => {
    expect(messageFor({ cluster: 'c1', images: { 'r/i:1': { ns: 2 } } })).toBeNull();
    expect(v.parse(KubernetesReportSchema, { cluster: 'c1' }).images).toEqual({});
  });

  describe('refuses, with the message operators know', () => {
    const lacks = 'The payload lacks the required "cluster" key (a non-empty string)';
    test('no cluster, an empty one, or one that is not a string', () => {
      expect(messageFor({ images: {} })).toBe(lacks);
      expect(messageFor({ cluster: '' })).toBe(lacks);
      expect(messageFor({ cluster: 5 })).toBe(lacks);
    });
    test('a cluster name the databases would confuse or cannot hold', () => {
      expect(messageFor({ cluster: 'x'.repeat(256) })).toBe(
        'The "cluster" name is longer than 255 characters',
      );
      expect(messageFor({ cluster: 'c1 ' })).toBe(
        'The "cluster" name must not end with a space or hold an unpaired surrogate escape',
      );
    });
    test('images or namespaces that are not dictionaries, naming the cluster and the image', () => {
      expect(messageFor({ cluster: 'c1', images: [] })).toBe(
        'Unable to update Kubernetes images for cluster c1: "images" is not a dictionary',
      );
      expect(messageFor({ cluster: 'c1', images: { 'r/i:1': ['ns'] } })).toBe(
        "Unable to update Kubernetes images for cluster c1: the namespaces of image 'r/i:1' are not a dictionary",
      );
    });
    test('the cluster is judged before the images', () => {
      expect(messageFor({ cluster: '', images: [] })).toBe(lacks);
    });
  });
});
