/** Replaced at build time from package.json; the fallback serves tests run from source. */
declare const __TRACEHOUND_VERSION__: string | undefined;
export const VERSION: string = typeof __TRACEHOUND_VERSION__ === 'string' ? __TRACEHOUND_VERSION__ : '0.0.0-dev';
