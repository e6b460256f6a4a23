import { readFileSync } from "node:fs";
import { specSetting } from "../client/config-file.js";
import { findOperation } from "../client/lookup.js";
import { loadSpec } from "../client/model-source.js";
import { redactBody } from "../http/redact.js";
import { UsageError } from "../platform/errors.js";
import { isTerminal, writeAllSync } from "../platform/std-streams.js";
import { closest } from "../platform/suggest.js";
import { escapeControls } from "../platform/terminal-text.js";
import { OPCLI_VERSION } from "../platform/version.js";
import { infoJson, infoText } from "./commands/info.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { type CliIO, clientIO } from "./io.js";
import { ParsedArgs, parseArgv } from "./parse.js";
import { COMMAND_ARGS, subcommandsOf, TOP_COMMANDS } from "./table.js";

// Argv to a command. Only what --info needs is loaded up front; every other path imports its
// modules on demand.

type Code = number | undefined;

async function loadModel(args: ParsedArgs, io: CliIO) {
  const spec = specSetting(
    {
      ...(args.str("spec") ? { spec: args.str("spec")! } : {}),
      ...(args.str("profile") ? { profile: args.str("profile")! } : {}),
    },
    io,
  );
  return loadSpec(spec, clientIO(io), args.list("overlay"));
}

/** The words after a command group: a known subcommand (or argument), checked. */
function subcommand(args: ParsedArgs): string {
  const [group, sub, ...rest] = args.positionals;
  const known = subcommandsOf(group!).length ? subcommandsOf(group!) : (COMMAND_ARGS[group!] ?? []);
  if (!sub || !known.includes(sub)) {
    throw new UsageError(
      `${group} needs one of ${known.join(", ")}${sub ? `, not "${sub}"` : ""} (opcli ${group} --help)`,
    );
  }
  const maxArgs = group === "config" ? (sub === "set" ? 2 : sub === "get" || sub === "unset" ? 1 : 0) : 0;
  if (rest.length > maxArgs) throw new UsageError(`${group} ${sub}: unexpected argument "${rest[maxArgs]}"`);
  return sub;
}

/** opcli tui: only at a terminal; the client is opened here, the screen loads on this path alone. */
async function tuiCommand(args: ParsedArgs, io: CliIO): Promise<Code> {
  if (args.positionals.length > 1) throw new UsageError(`tui: unexpected argument "${args.positionals[1]}"`);
  if (io.stdinIsTTY !== true || !io.stdout.isTTY)
    throw new UsageError(
      "opcli tui needs a terminal on stdin and stdout (for scripts: opcli --operation-id ...)",
    );
  const { withClient } = await import("./commands/context.js");
  return withClient(args, io, async (client) => {
    const { whyNoScreen } = await import("../tui/screens.js");
    const why = whyNoScreen(client.model.operations);
    if (why) throw new UsageError(why);
    const { runTui } = await import("../tui/main.js");
    await runTui(client, io, { readonly: args.bool("readonly") === true });
    return undefined;
  });
}

async function commandGroup(args: ParsedArgs, io: CliIO): Promise<Code> {
  const [group] = args.positionals;
  if (group === "tui") return tuiCommand(args, io);
  const sub = subcommand(args);
  if (group === "completion") {
    io.stdout.write((await import("./completion.js")).SCRIPTS[sub]!);
    return;
  }
  if (group === "config") {
    const { configCommand, configInit } = await import("./commands/config.js");
    const profile = args.str("profile") ?? io.env.OPCLI_PROFILE;
    if (sub !== "init") {
      await configCommand(sub, args.positionals.slice(2), profile, io);
      return;
    }
    const made = await configInit(
      { profile, host: args.str("host"), credentials: args.str("credentials") },
      io,
    );
    // Checked as the user will use it: a token from the profile just written.
    const [{ withClient }, { authCommand }] = await Promise.all([
      import("./commands/context.js"),
      import("./commands/auth.js"),
    ]);
    return withClient(made, io, (client) => authCommand("login", client, made, io));
  }
  const [{ withClient }, { authCommand }] = await Promise.all([
    import("./commands/context.js"),
    import("./commands/auth.js"),
  ]);
  return withClient(args, io, (client) => authCommand(sub, client, args, io));
}

/** The operation of the document the words name (`get sessions`: get-sessions), or one close to it. */
async function operationNamed(args: ParsedArgs, io: CliIO, words: string[]): Promise<string | undefined> {
  const word = words.join("-");
  try {
    const { model } = await loadSpec(
      specSetting({ ...(args.str("spec") ? { spec: args.str("spec")! } : {}) }, io),
      {
        ...clientIO(io),
        notice: () => {},
      },
      args.list("overlay"),
    );
    const ids = model.operations.map((o) => o.id);
    return ids.includes(word) ? word : closest(word, ids, 1)[0];
  } catch {
    return undefined;
  }
}

/** One line from the terminal, asked on stderr; hidden: what is typed is not echoed. */
async function promptLine(question: string, hidden = false): Promise<string> {
  const { createInterface } = await import("node:readline");
  const { Writable } = await import("node:stream");
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => {
        if (hidden) process.stderr.write("\n");
        resolve(answer);
      });
      muted = hidden;
    });
  } finally {
    rl.close();
  }
}

/** The config-cli modes: --info, --schema, --output-access-token, --batch, --operation-id. */
async function mode(args: ParsedArgs, io: CliIO): Promise<Code> {
  if (args.has("info") || args.has("schema") || args.bool("schema-sample")) {
    const { model } = await loadModel(args, io);
    if (args.has("info")) {
      if (args.str("output") === "json")
        io.stdout.write(
          `${JSON.stringify(infoJson(model, args.str("info")!, args.bool("all")), null, io.stdout.isTTY ? 2 : 0)}\n`,
        );
      else io.stdout.write(infoText(model, args.str("info")!, args.bool("all")));
      return;
    }
    await (await import("./commands/schema.js")).schemaCommand(model, args, io);
    return;
  }
  if (args.has("operation-id") && !args.str("operation-id"))
    throw new UsageError("--operation-id needs an operation ID (opcli --info lists them)");
  if (!args.bool("output-access-token") && !args.has("operation-id") && !args.has("batch"))
    throw new UsageError("nothing to do: give --info, --operation-id, --schema or a command (opcli --help)");
  const { withClient } = await import("./commands/context.js");
  return withClient(args, io, async (client): Promise<Code> => {
    // The embedded default answers in process only: no URL to curl, no server to take its token.
    const outward = args.bool("curl")
      ? "--curl"
      : args.bool("output-access-token")
        ? "--output-access-token"
        : "";
    if (client.connection.embedded && outward)
      throw new UsageError(
        `${outward} needs a server with a URL, and the embedded default has none: serve one with opcli-server --port 8080 and give --host http://127.0.0.1:8080 (or a profile)`,
      );
    if (args.bool("output-access-token")) {
      const { printToken } = await import("./commands/auth.js");
      const id = args.str("operation-id");
      printToken(await client.auth.forPrinting(id ? client.operation(id) : undefined), args, io);
      return;
    }
    if (args.has("batch")) return (await import("./commands/batch.js")).batchCommand(client, args, io);
    await (await import("./commands/operation.js")).operationCommand(client, args, io);
    return;
  });
}

async function help(args: ParsedArgs, io: CliIO): Promise<void> {
  const { commandHelp, helpText, operationHelp } = await import("./help.js");
  if (args.positionals.length > 0) {
    const text = commandHelp(args.positionals);
    if (!text)
      throw new UsageError(`no help for "${args.positionals.join(" ")}" (opcli --help lists the commands)`);
    io.stdout.write(text);
    return;
  }
  const id = args.str("operation-id");
  if (id) {
    const { model } = await loadModel(args, io);
    io.stdout.write(operationHelp(findOperation(model, id)));
    return;
  }
  io.stdout.write(helpText(OPCLI_VERSION));
}

async function dispatch(args: ParsedArgs, io: CliIO): Promise<Code> {
  if (args.bool("help")) {
    await help(args, io);
    return;
  }
  if (args.bool("version")) {
    io.stdout.write(`${OPCLI_VERSION}\n`);
    return;
  }
  const [command] = args.positionals;
  // Bare `opcli` and `opcli help [COMMAND]` are asking for the help, not making a mistake.
  if ((command === undefined && io.argv.length === 0) || command === "help") {
    await help(new ParsedArgs(args.positionals.slice(1), {}), io);
    return;
  }
  if (command === undefined) return mode(args, io);
  if (!TOP_COMMANDS.includes(command)) {
    const near = closest(command, TOP_COMMANDS, 1);
    // An operation ID given as a command (opcli get-sessions) is what config-cli users type.
    const op = near.length ? undefined : await operationNamed(args, io, args.positionals);
    throw new UsageError(
      `unknown command "${command}"${near.length ? ` (did you mean ${near[0]}?)` : op ? ` (did you mean --operation-id ${op}?)` : ""} (opcli --help)`,
    );
  }
  return commandGroup(args, io);
}

/** `opcli __complete SHELL LINE [WORDBREAKS]`: candidates, one a line; never fails loudly. */
async function completeCommand(io: CliIO, [shell = "bash", line = "", breaks = ""]: string[]): Promise<void> {
  const { complete, lineWords, trimForBash } = await import("./completion.js");
  const words = lineWords(line);
  const specAt = words.indexOf("--spec");
  let model: Awaited<ReturnType<typeof loadSpec>>["model"] | undefined;
  try {
    const spec = specSetting(specAt >= 0 && words[specAt + 1] ? { spec: words[specAt + 1]! } : {}, io);
    model = (await loadSpec(spec, { ...clientIO(io), notice: () => {} })).model;
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
    return (await dispatch(parseArgv(io.argv), io)) ?? EXIT.ok;
  } catch (err) {
    const code = exitCodeFor(err);
    const e = err as Error;
    // Messages can quote a server's words: shown escaped, never as terminal commands.
    const message = escapeControls(redactBody((e?.message ?? String(err)).split("\n")[0] ?? ""));
    if (message)
      io.stderr.write(`opcli: ${code === EXIT.unexpected ? `unexpected error: ${message}` : message}\n`);
    if (debug && e?.stack) io.stderr.write(`${escapeControls(redactBody(e.stack), true)}\n`);
    return code;
  }
}

/** Standard output: node's tty stream on a terminal, else synchronous writes (no stream modules). */
function stdoutOf(tty: boolean, writeErr: (s: string) => void): CliIO["stdout"] {
  const failed = (err: NodeJS.ErrnoException) => {
    // A closed pipe (opcli ... | head) ends output quietly, as other CLI tools do.
    if (err.code === "EPIPE") process.exit(0);
    // Any other failure to write the answer (a full disk) must not look like success.
    writeErr(`opcli: cannot write to standard output: ${err.code ?? err.message}\n`);
    process.exit(EXIT.unexpected);
  };
  if (!tty)
    return { write: (s) => writeAllSync(1, s, failed), isTTY: false, drained: () => Promise.resolve() };
  process.stdout.on("error", failed);
  return {
    write: (s) => void process.stdout.write(s),
    isTTY: true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    drained: () =>
      process.stdout.writableNeedDrain
        ? new Promise<void>((r) => process.stdout.once("drain", () => r()))
        : Promise.resolve(),
  };
}

export function processIO(): CliIO {
  const errTTY = isTerminal(2);
  const writeErr = errTTY
    ? (s: string) => void process.stderr.write(s)
    : (s: string) => writeAllSync(2, s, () => {});
  let interrupt: (() => void) | undefined;
  process.on("SIGINT", () => {
    if (interrupt) {
      // A second Ctrl-C does not wait for the graceful stop.
      const h = interrupt;
      interrupt = undefined;
      h();
      return;
    }
    writeErr("opcli: interrupted\n");
    process.exit(130);
  });
  return {
    onInterrupt: (h) => {
      interrupt = h;
    },
    argv: process.argv.slice(2),
    env: process.env,
    stdout: stdoutOf(isTerminal(1), writeErr),
    stderr: { write: writeErr, isTTY: errTTY },
    // Not process.stdin.isTTY: touching process.stdin builds a stream (ms of start-up).
    stdinIsTTY: isTerminal(0),
    prompt: (question) => promptLine(question),
    promptSecret: (question) => promptLine(question, true),
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
