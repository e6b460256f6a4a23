/** Output formats of responses and item streams. */
export const FORMATS = ["json", "ndjson", "yaml", "table", "csv", "raw"] as const;
export type Format = (typeof FORMATS)[number];
