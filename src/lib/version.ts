/** The program version, injected at build time by scripts/build.ts (`define`); `0.0.0-dev` otherwise. */
declare const DEBMONITOR_VERSION: string | undefined;

export const VERSION: string = typeof DEBMONITOR_VERSION === 'string' ? DEBMONITOR_VERSION : '0.0.0-dev';
