/** OS labels (docs/protocol.md, "Host reports"): validated only when a report would create a new OS row. */

const OS_NAME_PATTERN = /^(Debian( \d\d)?|Ubuntu( \d\d\.\d\d)?)$/;
export const MAX_OS_NAME_LENGTH = 32;

/** Returns null when `name` may become a new OS row, otherwise the reason it may not. */
export function checkOsName(name: string): string | null {
  if (name.length > MAX_OS_NAME_LENGTH) {
    return `The OS name must be at most ${MAX_OS_NAME_LENGTH} characters long.`;
  }
  if (!OS_NAME_PATTERN.test(name)) {
    return `The OS name needs to follow the pattern '${OS_NAME_PATTERN.source}', for example 'Debian 12' or 'Ubuntu 22.04'.`;
  }
  return null;
}
