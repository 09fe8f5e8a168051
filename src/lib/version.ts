/**
 * The program version, injected at build time by scripts/build.ts (`define`); run from source
 * (`npm start`, `bun src/…`), the version of package.json, which is also the build's default, so both
 * say the same; `0.0.0-dev` only when package.json cannot be read.
 *
 * The version also lives in a what(1)-style marker, `@(#)debmonitor <version>`, that the minifier
 * folds into one string literal in the binary. The server reads it to learn an agent binary's version
 * without running it (it may be built for another architecture). VERSION is sliced from the marker so
 * that the marker can never be dropped by tree shaking while the version is used.
 */
import { readFileSync } from 'node:fs';

declare const DEBMONITOR_VERSION: string | undefined;

/** package.json's version, for runs from the source tree (this file is src/lib/version.ts). */
function readSourceVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    return typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : '0.0.0-dev';
  } catch {
    return '0.0.0-dev';
  }
}

/** The prefix of the version marker embedded in every binary. */
export const VERSION_MARKER_PREFIX = '@(#)debmonitor ';

/**
 * `@(#)debmonitor <version>`: what the server looks for in an agent binary. Each branch spells the
 * whole template: the minifier then folds the built one into one literal (with the version in a
 * variable of its own it keeps a template, and the marker is not in the binary's bytes).
 */
export const VERSION_MARKER: string =
  typeof DEBMONITOR_VERSION === 'string'
    ? `@(#)debmonitor ${DEBMONITOR_VERSION}`
    : `@(#)debmonitor ${readSourceVersion()}`;

/** The version of this program, e.g. `1.0.1`. */
export const VERSION: string = VERSION_MARKER.slice(VERSION_MARKER_PREFIX.length);
