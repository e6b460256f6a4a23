import { parseArgs } from "node:util";
import { createApp } from "../app.js";
import { SCOPE } from "../core/oauth/scopes.js";
import { ServerUsageError, valueOrRefusal } from "./errors.js";
import { SERVER_EXIT, serverExitFor } from "./exit-codes.js";
import type { ServerIO } from "./io.js";
import { openCore, openStore, storeChoice } from "./open-store.js";
import { seedWithPasswordFile } from "./provision.js";
import { intOption, serveCommand } from "./serve.js";
import { commandHelp, globalHelp, parseArgsOptions, SERVER_COMMANDS } from "./table.js";
import { userCommand } from "./users.js";

export { processIO } from "./io.js";

async function clientCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const { core } = await openCore({ ...values, quiet: true }, io);
  try {
    const scopes = values.scopes
      ? String(values.scopes)
          .split(/[\s,]+/)
          .filter(Boolean)
      : [SCOPE.sessionRead];
    const type = (values.type as string | undefined) ?? "confidential";
    if (type !== "confidential" && type !== "public")
      throw new ServerUsageError(`--type is confidential or public, not "${type}"`);
    const creds = valueOrRefusal(
      await core.clients.create((values.name as string | undefined) ?? "client", scopes, {
        type,
        redirectUris: (values["redirect-uri"] as string[] | undefined) ?? [],
        postLogoutRedirectUris: (values["post-logout-redirect-uri"] as string[] | undefined) ?? [],
        userinfoJwt: values["userinfo-jwt"] === true,
        ...backchannelOptions(values),
      }),
    );
    io.stdout(`${JSON.stringify(creds, null, 2)}\n`);
    return SERVER_EXIT.ok;
  } finally {
    await core.store.close();
  }
}

/** --backchannel-logout-uri ("" clears it) and --backchannel-logout-session-required, when given. */
function backchannelOptions(values: Record<string, unknown>) {
  const uri = values["backchannel-logout-uri"] as string | undefined;
  const required = values["backchannel-logout-session-required"] as boolean | undefined;
  return {
    ...(uri !== undefined ? { backchannelLogoutUri: uri === "" ? null : uri } : {}),
    ...(required !== undefined ? { backchannelLogoutSessionRequired: required } : {}),
  };
}

async function clientUpdateCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const clientId = values["client-id"] as string | undefined;
  if (!clientId) throw new ServerUsageError("client update needs --client-id");
  const { core } = await openCore({ ...values, quiet: true }, io);
  try {
    const updated = await core.clients.update(clientId, backchannelOptions(values));
    if (!updated.ok && updated.error.kind === "not_found")
      throw new ServerUsageError(`no client "${clientId}"`);
    const c = valueOrRefusal(updated);
    const shown = {
      client_id: c.clientId,
      backchannel_logout_uri: c.backchannelLogoutUri,
      backchannel_logout_session_required: c.backchannelLogoutSessionRequired,
    };
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return SERVER_EXIT.ok;
  } finally {
    await core.store.close();
  }
}

async function seedCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const password = values["password-stdin"] ? io.stdin().replace(/\r?\n$/, "") : undefined;
  const users = intOption(values.users as string | undefined, "users", 5);
  const perUser = intOption(values["sessions-per-user"] as string | undefined, "sessions-per-user", 2);
  const { core, dbPath } = await openCore({ ...values, quiet: true }, io);
  try {
    const app = createApp(core);
    const opts = { users, sessionsPerUser: perUser, ...(password !== undefined ? { password } : {}) };
    const result = await seedWithPasswordFile(core, app, dbPath, opts);
    io.stdout(`${JSON.stringify({ users, sessions: result.sessions, credentials: result.file })}\n`);
    return SERVER_EXIT.ok;
  } finally {
    await core.store.close();
  }
}

/** Applies pending migrations and reports the schema version; other instances may keep running. */
async function migrateCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const choice = storeChoice(values, io);
  // Opening a store migrates it, under an advisory lock on PostgreSQL.
  const store = await openStore(choice);
  await store.close();
  io.stdout(`${JSON.stringify({ store: choice.kind, migrated: true })}\n`);
  return SERVER_EXIT.ok;
}

const RUN: Record<string, (values: Record<string, unknown>, io: ServerIO) => Promise<number>> = {
  serve: serveCommand,
  "client create": clientCommand,
  "client update": clientUpdateCommand,
  "user create": (v, io) => userCommand("create", v, io),
  "user disable": (v, io) => userCommand("disable", v, io),
  "user enable": (v, io) => userCommand("enable", v, io),
  "user passwd": (v, io) => userCommand("passwd", v, io),
  "user unlock": (v, io) => userCommand("unlock", v, io),
  seed: seedCommand,
  migrate: migrateCommand,
};

async function dispatch(io: ServerIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: io.argv,
    options: parseArgsOptions(),
    allowPositionals: true,
  });
  const name = positionals.join(" ") || "serve";
  const cmd = SERVER_COMMANDS.find((c) => c.name === name);
  if (values.help) {
    io.stdout(cmd && positionals.length > 0 ? commandHelp(cmd) : globalHelp());
    return SERVER_EXIT.ok;
  }
  if (!cmd)
    throw new ServerUsageError(
      `unknown command "${name}" (one of ${SERVER_COMMANDS.map((c) => c.name).join(", ")})`,
    );
  const stray = Object.keys(values).filter((k) => !cmd.flags.includes(k));
  if (stray.length > 0)
    throw new ServerUsageError(`${cmd.name} takes no --${stray[0]} (opcli-server ${cmd.name} --help)`);
  return RUN[cmd.name]!(values, io);
}

/** Runs one invocation of opcli-server; returns the exit code (the table in exit-codes.ts). */
export async function runServerCli(io: ServerIO): Promise<number> {
  try {
    return await dispatch(io);
  } catch (err) {
    const e = err as Error;
    const { code, expected } = serverExitFor(err);
    if (code === SERVER_EXIT.usage) {
      const hint = e.message.includes("--help") ? "" : " (opcli-server --help)";
      io.stderr(`opcli-server: ${e.message}${hint}\n`);
    } else if (expected) {
      io.stderr(`opcli-server: ${e.message}\n`);
    } else {
      io.stderr(`opcli-server: unexpected error: ${e.message}\n`);
      if (io.env.OPCLI_DEBUG) io.stderr(`${e.stack}\n`);
    }
    return code;
  }
}
