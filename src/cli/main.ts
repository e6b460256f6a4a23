import { readFileSync } from "node:fs";
import type { ApiModel } from "../spec/model.js";
import { type Profile, readConfigFile, selectProfile } from "./config-file.js";
import { EXIT, exitCodeFor, UsageError } from "./errors.js";
import { type ParsedFlags, parseFlags } from "./flags.js";
import { helpText } from "./help.js";
import { findOperation, findTag, listTagOperations, listTags } from "./info.js";
import type { CliIO } from "./io.js";
import { loadSpec } from "./model-source.js";
import { closest } from "./suggest.js";
import { OPCLI_VERSION } from "./version.js";

// Only what --info needs is loaded up front; every other path imports its modules on demand.

async function schemaCommand(model: ApiModel, flags: ParsedFlags, io: CliIO): Promise<void> {
  const { describeSchema, sampleOf, schemaByName } = await import("../spec/schema-view.js");
  const name = flags.schema as string | undefined;
  let schema: unknown;
  let title: string;
  if (name) {
    schema = schemaByName(model.schemas, name);
    if (schema === undefined) {
      const near = closest(name.replace(/^.*\//, ""), Object.keys(model.schemas));
      throw new UsageError(
        `unknown schema "${name}"${near.length ? `; did you mean ${near.join(", ")}?` : ""}`,
      );
    }
    title = name.replace(/^.*\//, "");
  } else if (flags["operation-id"]) {
    const op = findOperation(model, String(flags["operation-id"]));
    if (!op.body) throw new UsageError(`${op.id} takes no request body`);
    schema = op.body.schema;
    title = op.body.schemaName ?? `${op.id} body`;
  } else {
    throw new UsageError("--schema needs a NAME, or --operation-id ID for that operation's body");
  }
  if (flags["schema-sample"])
    io.stdout.write(`${JSON.stringify(sampleOf(model.schemas, schema), null, 2)}\n`);
  else io.stdout.write(describeSchema(model.schemas, schema, title));
}

/** Commands that talk to a server: operations, tokens, auth subcommands. */
async function withServer(
  model: ApiModel,
  bundled: boolean,
  flags: ParsedFlags,
  io: CliIO,
  profile: Profile,
): Promise<void> {
  const [{ connect }, { Authenticator }, { authCommand, printToken }, { runOperation }] = await Promise.all([
    import("./connection.js"),
    import("./token.js"),
    import("./auth-commands.js"),
    import("./run-operation.js"),
  ]);
  const conn = await connect(model, bundled, flags, io, profile);
  try {
    const auth = new Authenticator({ model, flags, io, profile, conn });
    if (flags._[0] === "auth") return await authCommand(flags, io, auth, conn, model);
    if (flags["output-access-token"]) {
      const op = flags["operation-id"] ? findOperation(model, String(flags["operation-id"])) : undefined;
      return printToken(await auth.forPrinting(op), flags, io);
    }
    if (flags.batch !== undefined)
      return await (await import("./batch.js")).runBatch(model, flags, io, conn, auth);
    return await runOperation(model, flags, io, conn, auth);
  } finally {
    conn.close();
  }
}

async function dispatch(flags: ParsedFlags, io: CliIO): Promise<void> {
  const [command] = flags._;
  if (command === "config") return (await import("./config-commands.js")).configCommand(flags, io);
  if (command === "completion") {
    const script = (await import("./completion.js")).SCRIPTS[flags._[1] ?? ""];
    if (!script) throw new UsageError("completion needs bash, zsh or fish");
    io.stdout.write(script);
    return;
  }
  if (command !== undefined && command !== "auth")
    throw new UsageError(`unknown command "${command}" (opcli --help)`);
  const file = readConfigFile(io.env, io.readFile);
  const profile = selectProfile(file, (flags.profile as string | undefined) ?? io.env.OPCLI_PROFILE);
  const { model, bundled } = await loadSpec(
    (flags.spec as string | undefined) ?? io.env.OPCLI_SPEC ?? profile.spec,
    io,
  );
  if (command === "auth" || flags["output-access-token"])
    return withServer(model, bundled, flags, io, profile);
  if (flags.info !== undefined) {
    io.stdout.write(
      flags.info === "" ? listTags(model) : listTagOperations(model, findTag(model, String(flags.info))),
    );
    return;
  }
  if (flags.schema !== undefined || flags["schema-sample"]) return schemaCommand(model, flags, io);
  if (flags["operation-id"] || flags.batch !== undefined)
    return withServer(model, bundled, flags, io, profile);
  throw new UsageError("nothing to do: give --info, --operation-id or --schema (opcli --help)");
}

/** `opcli __complete SHELL LINE [WORDBREAKS]`: candidates, one a line; never fails loudly. */
async function completeCommand(io: CliIO, [shell = "bash", line = "", breaks = ""]: string[]): Promise<void> {
  const { complete, lineWords, trimForBash } = await import("./completion.js");
  const words = lineWords(line);
  const specAt = words.indexOf("--spec");
  let model: ApiModel | undefined;
  try {
    const profile = selectProfile(readConfigFile(io.env, io.readFile), io.env.OPCLI_PROFILE);
    model = (await loadSpec(specAt >= 0 ? words[specAt + 1] : (io.env.OPCLI_SPEC ?? profile.spec), io)).model;
  } catch {
    model = undefined;
  }
  const cands = complete(model, words);
  const out = shell === "bash" ? trimForBash(cands, words.at(-1) ?? "", breaks) : cands;
  if (out.length) io.stdout.write(`${out.join("\n")}\n`);
}

/** Runs one invocation; returns the exit code. Errors become one line on stderr. */
export async function runCli(io: CliIO): Promise<number> {
  const debug = io.argv.includes("--debug");
  if (io.argv[0] === "__complete") {
    await completeCommand(io, io.argv.slice(1));
    return EXIT.ok;
  }
  try {
    const flags = parseFlags(io.argv);
    if (flags.help) {
      io.stdout.write(helpText(OPCLI_VERSION));
      return EXIT.ok;
    }
    if (flags.version) {
      io.stdout.write(`${OPCLI_VERSION}\n`);
      return EXIT.ok;
    }
    await dispatch(flags, io);
    return EXIT.ok;
  } catch (err) {
    const code = exitCodeFor(err);
    const e = err as Error;
    const message = (e?.message ?? String(err)).split("\n")[0];
    if (message)
      io.stderr.write(`opcli: ${code === EXIT.unexpected ? `unexpected error: ${message}` : message}\n`);
    if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
    return code;
  }
}

export function processIO(): CliIO {
  // A closed pipe (opcli ... | head) ends output quietly, as other CLI tools do.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
  let interrupt: (() => void) | undefined;
  process.on("SIGINT", () => {
    if (interrupt) {
      // A second Ctrl-C does not wait for the graceful stop.
      const h = interrupt;
      interrupt = undefined;
      h();
      return;
    }
    process.stderr.write("opcli: interrupted\n");
    process.exit(130);
  });
  return {
    onInterrupt: (h) => {
      interrupt = h;
    },
    argv: process.argv.slice(2),
    env: process.env,
    stdout: {
      write: (s) => void process.stdout.write(s),
      isTTY: process.stdout.isTTY === true,
      drained: () =>
        process.stdout.writableNeedDrain
          ? new Promise<void>((r) => process.stdout.once("drain", () => r()))
          : Promise.resolve(),
    },
    stderr: { write: (s) => void process.stderr.write(s), isTTY: process.stderr.isTTY === true },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    readFile: (p) => readFileSync(p, "utf8"),
    readBytes: (p) => readFileSync(p),
    now: () => Date.now(),
  };
}
