// The code of a search worker thread, as text for `new Worker(code, { eval: true })`: the bundle
// then needs no second entry file. It opens the database read-only with the store's own driver
// (WAL lets it read while the main connection writes) and answers { id, total, rows } or
// { id, error } per message.
export const SEARCH_WORKER_SOURCE = `(async () => {
  const { parentPort, workerData } = await import("node:worker_threads");
  let db;
  if (workerData.driver === "node:sqlite") {
    // Its ExperimentalWarning (Node 22) is not the user's business, as on the main thread.
    const emit = process.emitWarning;
    process.emitWarning = (w, ...rest) => {
      if (!String((w && w.message) || w).includes("SQLite")) emit.call(process, w, ...rest);
    };
    const { DatabaseSync } = await import("node:sqlite");
    process.emitWarning = emit;
    db = new DatabaseSync(workerData.path, { readOnly: true });
  } else {
    const Database = (await import(workerData.driver)).default;
    db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  }
  db.exec("PRAGMA busy_timeout = 5000");
  // Statements kept for the thread's life (see StatementCache: no finalisation by the collector).
  const cache = new Map();
  const stmt = (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  parentPort.on("message", (job) => {
    // Asked to stop: the database closed here, on its own thread, before the thread ends (a native
    // driver's statements must not outlive their thread's environment).
    if (job.close) {
      cache.clear();
      db.close();
      parentPort.close();
      return;
    }
    try {
      let total = -1;
      if (job.count) {
        total = stmt(job.count.sql).get(...job.count.params).n;
        if (total === 0 || job.offset >= total) return parentPort.postMessage({ id: job.id, total, rows: [] });
      }
      const rows = stmt(job.page.sql).all(...job.page.params);
      parentPort.postMessage({ id: job.id, total, rows });
    } catch (err) {
      parentPort.postMessage({ id: job.id, error: String(err && err.message) });
    }
  });
  parentPort.postMessage({ ready: true });
})();`;
