/** URLs of the detail pages, with names percent-encoded (docs/protocol.md, "URLs and names"). */
import { kernelUrlSlug } from '../../domain/kernel-slug.ts';
import { encodePath, encodePathSegment } from '../../lib/encode-path.ts';

/** `/hosts/<name>`. */
export const hostPath = (name: string) => `/hosts/${encodePathSegment(name)}`;
/** `/images/<name…>`: the image name keeps its slashes and colons. */
export const imagePath = (name: string) => `/images/${encodePath(name)}`;
/** A host's or image's history timeline (docs/history.md). */
export const historyPath = (kind: 'host' | 'image', name: string) =>
  kind === 'host' ? `/history/host/${encodePathSegment(name)}` : `/history/image/${encodePath(name)}`;
/** The fleet's "what changed" page. */
export const CHANGES_PATH = '/changes/';
/** `/packages/<name>`. */
export const packagePath = (name: string) => `/packages/${encodePathSegment(name)}`;
/** `/source-packages/<name>`. */
export const sourcePackagePath = (name: string) => `/source-packages/${encodePathSegment(name)}`;
/** `/cves/<id>` (CVE-YYYY-NNNN or TEMP-…). */
export const cvePath = (cve: string) => `/cves/${encodePathSegment(cve)}`;
/** `/kernels/<os_id>_<slug>`, with `kernel-<id>` for an empty slug (docs/architecture.md, "Web pages"). */
export const kernelPath = (kernel: { id: number; osId: number; slug: string }) =>
  `/kernels/${kernel.osId}_${kernelUrlSlug(kernel.id, kernel.slug)}`;
