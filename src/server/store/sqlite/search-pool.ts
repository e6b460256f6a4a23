import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SessionRow } from "../rows.js";
import { StoreUnavailable } from "../types.js";
import type { SqliteDriverName } from "./driver.js";
import { SEARCH_WORKER_SOURCE } from "./search-worker.js";

// Session searches off the event loop: a SQLite query runs synchronously, so an expensive one
// on the main thread stalls every other request (/health included). Here each runs in a worker
// thread on its own read-only connection, and is bounded in time as PostgreSQL's
// statement_timeout bounds it there: past the limit the caller gets StoreUnavailable (503 with
// Retry-After), and the worker, still busy, is replaced.

export interface SqlText {
  sql: string;
  params: unknown[];
}

export interface SearchJob {
  count?: SqlText;
  page: SqlText;
  offset: number;
}

export interface SearchRows {
  total: number;
  rows: SessionRow[];
}

interface Pending {
  id: number;
  job: SearchJob;
  resolve(r: SearchRows): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  busy?: Pending;
}

type Reply = { id: number; total: number; rows: SessionRow[] } | { id: number; error: string };

export interface SearchPoolOptions {
  path: string;
  /** The driver the store opened its file with; the threads use the same. */
  driver: SqliteDriverName;
  workers: number;
  /** Queue wait plus run time, ms. */
  timeoutMs: number;
  /** Searches waiting beyond this many are refused at once. */
  maxQueue: number;
}

/** What a thread imports: node:sqlite by name, better-sqlite3 by its resolved file (found only when used). */
function driverSpecifier(driver: SqliteDriverName): string {
  if (driver === "node:sqlite") return driver;
  return pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
}

/** Asks an idle worker to close its database and end; one that does not within 2 s is terminated. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((done) => {
    const force = setTimeout(() => void worker.terminate(), 2000);
    worker.once("exit", () => {
      clearTimeout(force);
      done();
    });
    worker.postMessage({ close: true });
  });
}

export class SearchPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly opts: SearchPoolOptions) {}

  private spawn(): Slot {
    const worker = new Worker(SEARCH_WORKER_SOURCE, {
      eval: true,
      workerData: { driver: driverSpecifier(this.opts.driver), path: this.opts.path },
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on("message", (m: Reply | { ready: true }) => {
      if ("id" in m) this.settle(slot, m);
    });
    worker.on("error", (err) => this.fail(slot, err));
    return slot;
  }

  run(job: SearchJob): Promise<SearchRows> {
    if (this.closed) return Promise.reject(new StoreUnavailable("the store is closed"));
    if (this.queue.length >= this.opts.maxQueue)
      return Promise.reject(new StoreUnavailable("too many searches waiting"));
    return new Promise<SearchRows>((resolve, reject) => {
      const p: Pending = { id: this.nextId++, job, resolve, reject };
      p.timer = setTimeout(() => this.expire(p), this.opts.timeoutMs);
      this.queue.push(p);
      this.pump();
    });
  }

  private pump(): void {
    // Threads start with the first searches that need them: a CLI command that never searches starts none.
    while (
      this.slots.length < this.opts.workers &&
      this.queue.length > this.slots.filter((s) => !s.busy).length
    )
      this.slots.push(this.spawn());
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.busy = next;
      slot.worker.postMessage({ id: next.id, ...next.job });
    }
  }

  private settle(slot: Slot, m: Reply): void {
    const p = slot.busy;
    if (!p || p.id !== m.id) return;
    slot.busy = undefined;
    clearTimeout(p.timer);
    if ("error" in m) p.reject(new Error(m.error));
    else p.resolve({ total: m.total, rows: m.rows });
    this.pump();
  }

  private fail(slot: Slot, err: Error): void {
    const p = slot.busy;
    this.replace(slot);
    if (p) {
      clearTimeout(p.timer);
      p.reject(new StoreUnavailable(`search worker failed: ${err.message}`));
    }
  }

  /** Past the limit: refused; a running search's worker is replaced (the old one ends when SQLite returns). */
  private expire(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.busy === p);
    if (slot) this.replace(slot);
    p.reject(new StoreUnavailable(`the search took longer than ${this.opts.timeoutMs} ms`));
  }

  private replace(slot: Slot): void {
    void slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer);
      p.reject(new StoreUnavailable("the store is closed"));
    }
    await Promise.all(this.slots.map((s) => stopWorker(s.worker)));
  }
}
