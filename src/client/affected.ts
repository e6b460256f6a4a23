import type { BoundArgs } from "../http/args.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { pageItems, reportedTotal } from "./paging-hint.js";

// Destructive operations, and how to read what one would change before it runs: the document's
// `x-opcli-affected`, else a GET on the same path (delete-session and get-session-by-id).

const ENDING = /(^|[-_])(delete|remove|revoke|logout|terminate|end|destroy|purge|invalidate)([-_]|$)/i;

/** DELETE, or a POST whose operation ID names an ending (a logout-by-handle action). */
export function isDestructive(op: OperationModel): boolean {
  return op.method === "DELETE" || (op.method === "POST" && ENDING.test(op.id));
}

export interface AffectedRead {
  operationId: string;
  params: Record<string, string>;
  /** A read of the one thing a delete addresses (else a search that may list many). */
  single: boolean;
}

function scalarArgs(args: BoundArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const where of ["path", "query", "header", "cookie"] as const)
    for (const [k, v] of Object.entries(args[where])) if (typeof v !== "object") out[k] = String(v);
  return out;
}

/** The read that shows what this call would change, if the document offers one. */
export function affectedRead(model: ApiModel, op: OperationModel, args: BoundArgs): AffectedRead | undefined {
  const given = scalarArgs(args);
  if (op.affected) {
    const fill = (t: string) => t.replace(/\{([^{}]+)\}/g, (m, name: string) => given[name] ?? m);
    const params = Object.fromEntries(Object.entries(op.affected.params).map(([k, v]) => [k, fill(v)]));
    return { operationId: op.affected.operationId, params, single: false };
  }
  if (op.method !== "DELETE") return undefined;
  const get = model.operations.find((o) => o.method === "GET" && o.path === op.path);
  if (!get) return undefined;
  // The delete's own filters (query parameters the read also takes) narrow the read alike.
  const filters = Object.entries(args.query).filter(
    ([k, v]) => typeof v !== "object" && get.params.some((p) => p.in === "query" && p.name === k),
  );
  const params = Object.fromEntries(
    [...Object.entries(args.path), ...filters].map(([k, v]) => [k, String(v)]),
  );
  return { operationId: get.id, params, single: filters.length === 0 };
}

export interface Affected {
  /** How many things the call would change (the reported total, else the items read). */
  count: number;
  items: unknown[];
}

/** What a read answered, as affected things (404: nothing). */
export function affectedFrom(
  status: number,
  data: unknown,
  single: boolean,
  read?: Pick<OperationModel, "paging">,
): Affected | undefined {
  if (status === 404) return { count: 0, items: [] };
  if (status < 200 || status >= 300) return undefined;
  if (single) return { count: 1, items: [data] };
  const items = pageItems(read, data) ?? [];
  return { count: reportedTotal(read, data) ?? items.length, items };
}

/** A count an answer itself reports: `{result: {h: true, ...}}`, `{deleted: 3}` and the like. */
export function countInAnswer(data: unknown): number | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  for (const k of ["count", "deleted", "revoked", "removed", "deletedCount"])
    if (typeof d[k] === "number") return d[k] as number;
  if (typeof d.result === "object" && d.result !== null && !Array.isArray(d.result)) {
    const v = Object.values(d.result);
    if (v.length > 0 && v.every((x) => typeof x === "boolean")) return v.filter(Boolean).length;
  }
  return undefined;
}
