/** External-link templates (`HOST_EXTERNAL_LINKS`, `IMAGE_EXTERNAL_LINKS`): `{name}` placeholders. */

/**
 * Replaces each `{name}` whose name is in `values`; unknown placeholders stay as they are (upstream
 * answered 500 for them).
 */
export function fillUrlTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? (values[name] as string) : whole,
  );
}
