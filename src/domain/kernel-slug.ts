/** Kernel URL slugs (docs/architecture.md, "Web pages"): Django 3.2 `slugify` of the kernel name. */

/** Computes the slug upstream stores for a kernel name (`6.1.0-18-amd64` → `610-18-amd64`). */
export function slugifyKernelName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\p{ASCII}]/gu, '')
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/[-\s]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

/** The slug used in URLs: an empty slug would break links, so it falls back to `kernel-<id>`. */
export function kernelUrlSlug(id: number, slug: string): string {
  return slug === '' ? `kernel-${id}` : slug;
}
