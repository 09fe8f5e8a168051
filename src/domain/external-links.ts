/** The "External resources" links of host and image pages (docs/architecture.md, "Web pages"). */
import { fillUrlTemplate } from '../lib/url-template.ts';

/** `registry.example.com/component/image-name:1.2.3-1` → `component/image-name`; a name without `/` keeps its path. */
export function extractImagePath(name: string): string {
  const slash = name.indexOf('/');
  const path = slash === -1 ? name : name.slice(slash + 1);
  const colon = path.lastIndexOf(':');
  return colon > path.lastIndexOf('/') ? path.slice(0, colon) : path;
}

/** Expands `HOST_EXTERNAL_LINKS` for a host: `{fqdn}` and `{hostname}` (the part before the first dot). */
export function expandHostLinks(
  templates: Record<string, string>,
  fqdn: string,
): [label: string, url: string][] {
  const hostname = fqdn.split('.')[0] ?? fqdn;
  return Object.entries(templates).map(([label, template]) => [
    label,
    fillUrlTemplate(template, { fqdn, hostname }),
  ]);
}

/** Expands `IMAGE_EXTERNAL_LINKS` for an image: `{fqdn}` (the full name) and `{image_path}`. */
export function expandImageLinks(
  templates: Record<string, string>,
  name: string,
): [label: string, url: string][] {
  const values = { fqdn: name, image_path: extractImagePath(name) };
  return Object.entries(templates).map(([label, template]) => [label, fillUrlTemplate(template, values)]);
}
