/** Output formats of responses and item streams. */
export const FORMATS = ["json", "ndjson", "yaml", "table", "wide", "csv", "raw"] as const;
export type Format = (typeof FORMATS)[number];
