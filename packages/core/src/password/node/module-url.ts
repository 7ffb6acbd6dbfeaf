/**
 * Internal: the URL of this module when it runs as an ES module. It is its own module, only
 * ever loaded by a dynamic `import()` after checking that `__filename` is not defined: the
 * CommonJS build, where `import.meta` is a syntax error, never loads it.
 */

/** The `file:` URL of this module (in a build: of the chunk beside the hash worker). */
export function moduleUrl(): string {
  return import.meta.url;
}
