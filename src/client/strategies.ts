/** Paging strategies --all knows (detected from the operation, or forced with --paginate). */
export const STRATEGIES = ["start-index", "offset", "page", "cursor", "link"] as const;
export type Strategy = (typeof STRATEGIES)[number];
