/** URLs of the detail pages, with names percent-encoded as spec §3.1 asks. */
import { kernelUrlSlug } from '../../domain/kernel-slug.ts';
import { encodePath, encodePathSegment } from '../../lib/encode-path.ts';

/** `/hosts/<name>`. */
export const hostPath = (name: string) => `/hosts/${encodePathSegment(name)}`;
/** `/images/<name…>`: the image name keeps its slashes and colons. */
export const imagePath = (name: string) => `/images/${encodePath(name)}`;
/** `/packages/<name>`. */
export const packagePath = (name: string) => `/packages/${encodePathSegment(name)}`;
/** `/source-packages/<name>`. */
export const sourcePackagePath = (name: string) => `/source-packages/${encodePathSegment(name)}`;
/** `/kernels/<os_id>_<slug>`, with `kernel-<id>` for an empty slug (spec §9 item 14). */
export const kernelPath = (kernel: { id: number; osId: number; slug: string }) =>
  `/kernels/${kernel.osId}_${kernelUrlSlug(kernel.id, kernel.slug)}`;
