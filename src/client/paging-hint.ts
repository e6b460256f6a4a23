import { itemsOf, pick } from "../output/items.js";
import type { OperationModel } from "../spec/model.js";

// What the document's paging hint (`x-opcli-paging`) says about one page's body.

type Hinted = Pick<OperationModel, "paging"> | undefined;

/** The total the page reports, where the document says it lives. */
export function reportedTotal(op: Hinted, body: unknown): number | undefined {
  const path = op?.paging?.total;
  const v = path ? pick(body, path) : undefined;
  return typeof v === "number" ? v : undefined;
}

/** The page's items: where the document says, else an array or the usual names. */
export function pageItems(op: Hinted, body: unknown): unknown[] | undefined {
  const path = op?.paging?.items;
  const v = path ? pick(body, path) : undefined;
  return Array.isArray(v) ? v : itemsOf(body);
}

/** The next page's cursor, where the document says it lives. */
export function hintedCursor(op: Hinted, body: unknown): string | undefined {
  const path = op?.paging?.cursorField;
  const v = path ? pick(body, path) : undefined;
  return typeof v === "string" && v !== "" ? v : undefined;
}
