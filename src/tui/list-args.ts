import type { OperationModel, ScreenModel } from "../spec/model.js";
import type { FilterForm } from "./filter.js";

// A screen's list call from its hint: the page, the sort and the `/` line's pattern go to the
// parameters the hint names by role (`params`); the filter words' pairs go to the parameter the
// document marks as taking field-value pairs (`x-opcli-filter`). Only parameters the list
// operation declares are sent.

export interface ListRequest {
  form: FilterForm;
  /** The column's server sort value, and whether descending. */
  sort?: { by: string; descending: boolean };
  start: number;
  limit: number;
}

/** A value with a comma or quote is double-quoted, as the field-value pairs grammar allows. */
const quoted = (v: string) => (/[,"]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);

/** A page holds 1 to 200 items; anything else asks for 20. */
export const pageLimit = (n: number) => (Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 20);

/** The filter words' pairs, in the order the hint lists its words (`name OP value`). */
function pairs(hint: ScreenModel, form: FilterForm): string[] {
  return Object.entries(hint.filters ?? {}).flatMap(([word, field]) => {
    const [op, value] = form.fields.get(word) ?? ["=", ""];
    return value.trim() ? [`${field}${op}${quoted(value.trim())}`] : [];
  });
}

/** The list operation's arguments for one request. */
export function listArgs(hint: ScreenModel, op: OperationModel, q: ListRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const declared = (n: string) => op.params.some((p) => p.name === n);
  const set = (role: string, v: string) => {
    const n = hint.params?.[role];
    if (typeof n === "string" && v !== "" && declared(n)) out[n] = v;
  };
  set("pattern", q.form.pattern.trim());
  const filter = op.params.find((p) => p.filter === "field-value-pairs");
  const all = pairs(hint, q.form);
  if (filter && all.length) out[filter.name] = all.join(",");
  if (q.sort) {
    set("sort", q.sort.by);
    if (hint.order) set("order", hint.order[q.sort.descending ? 1 : 0]);
  }
  set("limit", String(pageLimit(q.limit)));
  set("start", String(q.start));
  return out;
}
