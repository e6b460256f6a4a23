import { createRequire } from "node:module";

/**
 * Loads a CommonJS package when a command first needs it. The CLI ships as CommonJS files,
 * where `import()` of a package would start Node's ESM loader (~7 ms); `require` does not.
 */
export const lazyRequire = createRequire(import.meta.url);
