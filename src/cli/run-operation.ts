import { BodyError, type BuiltBody, buildBody, isJsonType } from "../http/body.js";
import type { LiteResponse } from "../http/lite.js";
import { sendOperation } from "../http/send.js";
import { printJson } from "../output/json.js";
import { printTable } from "../output/table.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { validateBody } from "../spec/validate.js";
import { bindArgs } from "./bind-args.js";
import type { Connection } from "./connection.js";
import { ConfigError, HttpStatusError, UsageError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import { findOperation } from "./info.js";
import type { CliIO } from "./io.js";
import type { Authenticator, IssuedToken } from "./token.js";

/** Authorization carries a bearer token (unless given with its scheme); an API-key header the key as given. */
function credentialValue(issued: IssuedToken): string {
  const bearer = (issued.header ?? "Authorization") === "Authorization" && !/\s/.test(issued.token);
  return bearer ? `Bearer ${issued.token}` : issued.token;
}

import { parseArgPairs } from "./tokenize.js";

async function readData(raw: string, io: CliIO): Promise<{ text: string; bytes?: Uint8Array }> {
  if (raw === "-") return { text: await io.readStdin() };
  if (raw.startsWith("@")) {
    try {
      const bytes = io.readBytes(raw.slice(1));
      return { text: Buffer.from(bytes).toString("utf8"), bytes };
    } catch (err) {
      throw new UsageError(`--data: cannot read ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  return { text: raw };
}

function chooseMediaType(op: OperationModel, wanted: string | undefined): string {
  const types = op.body?.mediaTypes ?? [];
  if (wanted) {
    const hit = types.find((t) => t.toLowerCase() === wanted.toLowerCase());
    if (!hit) throw new UsageError(`${op.id} takes ${types.join(", ")}, not ${wanted}`);
    return hit;
  }
  return types.find(isJsonType) ?? types[0] ?? "application/json";
}

async function checkAgainstSchema(model: ApiModel, op: OperationModel, text: string): Promise<void> {
  const problems = await validateBody(model.openapi, op.body!.schema, model.schemas, JSON.parse(text));
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const more = rest.length ? ` (and ${rest.length} more)` : "";
  throw new UsageError(
    `--data does not match ${op.body?.schemaName ?? "the body schema"}: ${first!.pointer} ${first!.message}${more}; --no-validate sends it anyway`,
  );
}

async function bodyFor(
  model: ApiModel,
  op: OperationModel,
  flags: ParsedFlags,
  io: CliIO,
): Promise<BuiltBody | undefined> {
  const raw = flags.data as string | undefined;
  if (raw === undefined) {
    if (op.body?.required)
      throw new UsageError(
        `${op.id} needs a request body: --data JSON|@file|- (opcli --schema --operation-id ${op.id})`,
      );
    return undefined;
  }
  if (!op.body) throw new UsageError(`${op.id} takes no request body`);
  const contentType = chooseMediaType(op, flags["content-type"] as string | undefined);
  const data = await readData(raw, io);
  let body: BuiltBody;
  try {
    body = buildBody(contentType, data, (p) => io.readBytes(p));
  } catch (err) {
    if (err instanceof BodyError) throw new UsageError(err.message);
    throw new UsageError(
      `--data: cannot read a file part: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (isJsonType(contentType) && !flags["no-validate"]) await checkAgainstSchema(model, op, data.text);
  return body;
}

async function printResponse(res: LiteResponse, flags: ParsedFlags, io: CliIO): Promise<void> {
  const text = await res.text();
  if (text === "") return;
  const type = res.headers.get("content-type") ?? "";
  let value: unknown;
  try {
    value = /json/i.test(type) || /^[[{"]/.test(text.trimStart()) ? JSON.parse(text) : undefined;
  } catch {
    value = undefined;
  }
  if (value === undefined) {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  if (flags.output === "table" && (await printTable(value, io.stdout))) return;
  await printJson(value, io.stdout, io.env);
}

function errorSummary(res: LiteResponse, text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const detail =
      body.description ?? body.error_description ?? body.message ?? body.detail ?? body.error ?? body.title;
    if (typeof detail === "string" && detail) return `HTTP ${res.status}: ${detail}`;
  } catch {
    // not JSON: fall back to the status line
  }
  return `HTTP ${res.status} ${res.statusText}`.trim();
}

export async function runOperation(
  model: ApiModel,
  flags: ParsedFlags,
  io: CliIO,
  conn: Connection,
  auth: Authenticator,
): Promise<void> {
  const op = findOperation(model, String(flags["operation-id"]));
  const args = bindArgs(
    op,
    parseArgPairs((flags["endpoint-args"] as string | undefined) ?? "", "--endpoint-args"),
    parseArgPairs((flags["url-suffix"] as string | undefined) ?? "", "--url-suffix"),
  );
  const body = await bodyFor(model, op, flags, io);
  if (flags.output !== undefined && flags.output !== "json" && flags.output !== "table") {
    throw new UsageError(`--output must be json or table, not "${flags.output}"`);
  }
  if (!op.servers[0] && !conn.host && !conn.embedded)
    throw new ConfigError("the document names no server; give --host (or OPCLI_HOST)");
  const send = (issued: IssuedToken | undefined) =>
    sendOperation(conn.fetch, {
      op,
      baseUrl: conn.baseUrl(op),
      args,
      ...(body ? { body } : {}),
      ...(issued ? { headers: { [issued.header ?? "Authorization"]: credentialValue(issued) } } : {}),
    });
  const issued = await auth.forOperation(op);
  let { response } = await send(issued);
  // A 401 drops the token, fetches once more and retries once; an explicit token is final.
  if (response.status === 401 && issued && issued.source !== "explicit") {
    ({ response } = await send(await auth.forOperation(op, issued.token)));
  }
  if (!response.ok) {
    const text = await response.text();
    if (text && !flags.debug) io.stderr.write(`${text.trimEnd()}\n`);
    throw new HttpStatusError(response.status, errorSummary(response, text));
  }
  await printResponse(response, flags, io);
}
