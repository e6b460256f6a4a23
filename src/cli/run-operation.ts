import type { OperationCall } from "../http/send.js";
import type { ApiModel } from "../spec/model.js";
import { bindArgs } from "./bind-args.js";
import type { Connection } from "./connection.js";
import { curlCommand } from "./curl.js";
import { ConfigError, UsageError } from "./errors.js";
import { credentialValue, failOnError, sendWithAuth } from "./exchange.js";
import type { ParsedFlags } from "./flags.js";
import { findOperation } from "./info.js";
import type { CliIO } from "./io.js";
import { outputPlan, printResponse } from "./output.js";
import { bodyFor } from "./request-body.js";
import { runAll } from "./run-all.js";
import type { Authenticator } from "./token.js";
import { parseArgPairs } from "./tokenize.js";

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
  const plan = await outputPlan(flags, model, op);
  if (!op.servers[0] && !conn.host && !conn.embedded)
    throw new ConfigError("the document names no server; give --host (or OPCLI_HOST)");
  const call: OperationCall = { op, baseUrl: conn.baseUrl(op), args, ...(body ? { body } : {}) };
  if (flags.curl) {
    const needsAuth = op.security.length > 0 && !op.security.some((alt) => alt.length === 0);
    // The token itself is fetched only to be shown; otherwise the command obtains its own.
    const issued = needsAuth && flags["show-token"] ? await auth.forOperation(op) : undefined;
    const cred = issued
      ? { header: issued.header ?? "Authorization", value: credentialValue(issued), literal: true }
      : needsAuth
        ? { header: "Authorization", value: "", literal: false }
        : undefined;
    io.stdout.write(curlCommand(call, flags, cred));
    return;
  }
  if (flags.all) return runAll({ model, op, call, flags, io, conn, auth, plan });
  if (flags["max-items"] !== undefined || flags.resume !== undefined)
    throw new UsageError("--max-items and --resume go with --all");
  const { exchange } = await sendWithAuth(conn.fetch, auth, op, call, await auth.forOperation(op));
  await failOnError(exchange.response, io, Boolean(flags.debug));
  await printResponse(exchange.response, plan, io);
}
