import type { CallInput, CallResult } from "./call.js";

// The batch engine: items run concurrently (over the transport's keep-alive connections), each
// outcome reported as it completes. Turning input lines into items is the caller's job.

/** One unit of a batch: what to call, or why its line could not be read. */
export type BatchItem =
  | { index: number; operationId: string; input: CallInput }
  | { index: number; operationId?: string; failure: unknown };

export interface Outcome {
  index: number;
  operationId?: string;
  status?: number;
  ok: boolean;
  body?: unknown;
  error?: string;
  /** What went wrong, typed, for whoever maps failures to exit codes. */
  failure?: unknown;
}

export interface BatchOptions {
  concurrency: number;
  /** Asked before each new item: true stops taking more (those in flight finish). */
  stopped?: () => boolean;
}

/** What a dry run makes of an item instead of sending it: the report, as the item's body. */
export interface Planned {
  planned: unknown;
}

type Caller = (operationId: string, input: CallInput) => Promise<CallResult | Planned>;
type Summary = (result: CallResult) => Promise<string>;

async function runItem(item: BatchItem, call: Caller, summary: Summary): Promise<Outcome> {
  if ("failure" in item) {
    const e = item.failure as Error;
    return {
      index: item.index,
      ...(item.operationId ? { operationId: item.operationId } : {}),
      ok: false,
      error: String(e?.message ?? e).split("\n")[0]!,
      failure: item.failure,
    };
  }
  const base = { index: item.index, operationId: item.operationId };
  try {
    const r = await call(item.operationId, item.input);
    if ("planned" in r) return { ...base, ok: true, body: r.planned };
    if (r.ok)
      return { ...base, status: r.status, ok: true, ...(r.data !== undefined ? { body: r.data } : {}) };
    return { ...base, status: r.status, ok: false, error: await summary(r), failure: r };
  } catch (err) {
    return { ...base, ok: false, error: (err as Error).message.split("\n")[0]!, failure: err };
  }
}

/** Runs the items with at most `concurrency` in flight; outcomes arrive in completion order. */
export async function runBatch(
  items: BatchItem[],
  call: Caller,
  summary: Summary,
  opts: BatchOptions,
  onOutcome: (o: Outcome) => void,
): Promise<{ outcomes: Outcome[]; notStarted: number }> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (!opts.stopped?.() && next < items.length) {
      const o = await runItem(items[next++]!, call, summary);
      outcomes.push(o);
      onOutcome(o);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, items.length) }, worker));
  return { outcomes, notStarted: items.length - outcomes.length };
}
