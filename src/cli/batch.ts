import type { OperationCall } from "../http/send.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { bindArgs } from "./bind-args.js";
import type { Connection } from "./connection.js";
import { EXIT, exitCodeFor, HttpStatusError, UsageError } from "./errors.js";
import { errorSummary, sendWithAuth } from "./exchange.js";
import { type ParsedFlags, parseFlags } from "./flags.js";
import { findOperation } from "./info.js";
import type { CliIO } from "./io.js";
import { bodyFor } from "./request-body.js";
import type { Authenticator, IssuedToken } from "./token.js";
import { type ArgPair, parseArgPairs } from "./tokenize.js";

// --batch FILE|-: one operation per NDJSON line, run concurrently over keep-alive connections,
// one NDJSON result line per input line (in completion order, with its index), a summary on
// stderr, and the exit code of the worst failure.

interface Line {
  operationId?: unknown;
  endpointArgs?: unknown;
  urlSuffix?: unknown;
  data?: unknown;
}

/** Worst first: what a batch exits with when lines failed differently. */
const SEVERITY = [
  EXIT.interrupted,
  EXIT.unexpected,
  EXIT.network,
  EXIT.http5xx,
  EXIT.auth,
  EXIT.http4xx,
  EXIT.config,
  EXIT.usage,
];

function pairs(v: unknown, flag: string): ArgPair[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return parseArgPairs(v, flag);
  if (typeof v === "object" && !Array.isArray(v)) {
    return Object.entries(v).flatMap(([key, x]) =>
      (Array.isArray(x) ? x : [x]).map((y) => ({
        key,
        value: typeof y === "object" ? JSON.stringify(y) : String(y),
      })),
    );
  }
  throw new UsageError(`${flag} must be a string or an object`);
}

/** Splits a flags string on whitespace, honouring single and double quotes. */
function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  return out;
}

/** A line as flags: a JSON object, or the same flags as a string (JSON-quoted or plain). */
function lineFlags(text: string): ParsedFlags {
  let parsed: unknown = text;
  if (/^\s*[{"]/.test(text)) {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UsageError(`not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeof parsed === "string") return parseFlags(words(parsed));
  const l = parsed as Line;
  if (typeof l.operationId !== "string") throw new UsageError("operationId is missing");
  const flags: ParsedFlags = { _: [], "operation-id": l.operationId };
  const ea = pairs(l.endpointArgs, "endpointArgs");
  const us = pairs(l.urlSuffix, "urlSuffix");
  flags.__endpointArgs = JSON.stringify(ea);
  flags.__urlSuffix = JSON.stringify(us);
  if (l.data !== undefined) flags.data = typeof l.data === "string" ? l.data : JSON.stringify(l.data);
  return flags;
}

interface Outcome {
  index: number;
  operationId?: string;
  status?: number;
  ok: boolean;
  body?: unknown;
  error?: string;
  exit: number;
}

export async function runBatch(
  model: ApiModel,
  flags: ParsedFlags,
  io: CliIO,
  conn: Connection,
  auth: Authenticator,
): Promise<void> {
  const source = String(flags.batch);
  const text = source === "-" ? await io.readStdin() : io.readFile(source);
  const lines = text
    .split("\n")
    .map((l, i) => ({ text: l.trim(), index: i }))
    .filter((l) => l.text !== "");
  const concurrency = Number(flags.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError(`--concurrency must be a positive integer, not "${flags.concurrency}"`);
  const tokens = new Map<string, Promise<IssuedToken | undefined>>();
  let stop = false;
  io.onInterrupt?.(() => {
    stop = true;
  });
  const runLine = async ({ text, index }: { text: string; index: number }): Promise<Outcome> => {
    let op: OperationModel | undefined;
    try {
      const lf = lineFlags(text);
      op = findOperation(model, String(lf["operation-id"] ?? ""));
      const ea = lf.__endpointArgs
        ? (JSON.parse(String(lf.__endpointArgs)) as ArgPair[])
        : parseArgPairs(String(lf["endpoint-args"] ?? ""), "endpointArgs");
      const us = lf.__urlSuffix
        ? (JSON.parse(String(lf.__urlSuffix)) as ArgPair[])
        : parseArgPairs(String(lf["url-suffix"] ?? ""), "urlSuffix");
      const body = await bodyFor(
        model,
        op,
        { ...lf, ...(flags["no-validate"] ? { "no-validate": true } : {}) },
        io,
      );
      const call: OperationCall = {
        op,
        baseUrl: conn.baseUrl(op),
        args: bindArgs(op, ea, us),
        ...(body ? { body } : {}),
      };
      const key = op.id;
      if (!tokens.has(key)) tokens.set(key, auth.forOperation(op));
      const sent = await sendWithAuth(conn.fetch, auth, op, call, await tokens.get(key)!);
      if (sent.issued) tokens.set(key, Promise.resolve(sent.issued));
      const res = sent.exchange.response;
      const raw = await res.text();
      let parsed: unknown = raw === "" ? undefined : raw;
      try {
        parsed = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        // keep the text
      }
      if (res.ok)
        return {
          index,
          operationId: op.id,
          status: res.status,
          ok: true,
          ...(parsed !== undefined ? { body: parsed } : {}),
          exit: 0,
        };
      const err = new HttpStatusError(res.status, errorSummary(res, raw));
      return {
        index,
        operationId: op.id,
        status: res.status,
        ok: false,
        error: err.message,
        exit: exitCodeFor(err),
      };
    } catch (err) {
      return {
        index,
        ...(op ? { operationId: op.id } : {}),
        ok: false,
        error: (err as Error).message.split("\n")[0]!,
        exit: exitCodeFor(err),
      };
    }
  };
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (!stop && next < lines.length) {
      const line = lines[next++]!;
      const o = await runLine(line);
      outcomes.push(o);
      const { exit: _exit, ...shown } = o;
      io.stdout.write(`${JSON.stringify(shown)}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lines.length) }, worker));
  summarise(outcomes, lines.length, stop, io);
}

function summarise(outcomes: Outcome[], total: number, interrupted: boolean, io: CliIO): void {
  const failed = outcomes.filter((o) => !o.ok);
  const byStatus = new Map<string, number>();
  for (const f of failed) {
    const k = f.status ? `HTTP ${f.status}` : "error";
    byStatus.set(k, (byStatus.get(k) ?? 0) + 1);
  }
  const detail = [...byStatus]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");
  const notStarted = total - outcomes.length;
  io.stderr.write(
    `opcli: batch: ${outcomes.length - failed.length} ok, ${failed.length} failed${detail ? ` (${detail})` : ""}${interrupted ? `; interrupted, ${notStarted} not started` : ""}\n`,
  );
  const worst = SEVERITY.find((code) =>
    code === EXIT.interrupted ? interrupted : failed.some((f) => f.exit === code),
  );
  if (worst !== undefined) throw new BatchFailed(worst);
}

/** Carries the batch's exit code to the one place that maps errors to codes. */
export class BatchFailed extends Error {
  override name = "BatchFailed";
  constructor(readonly code: number) {
    super("");
  }
}
