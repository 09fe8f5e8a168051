/** Set at build time by `define` in scripts/build.ts; absent when running from source. */
declare const DEBMONITOR_VERSION: string | undefined;

/** The program version: injected into compiled binaries, `0.0.0-dev` when running from source or tests. */
export const VERSION = typeof DEBMONITOR_VERSION === 'string' ? DEBMONITOR_VERSION : '0.0.0-dev';
