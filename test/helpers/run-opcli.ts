import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./spawn-server.js";

export const OPCLI_BIN = join(ROOT, "bin/opcli");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every captured output of the suite, so a test can scan them all for leaked credentials. */
export const capturedOutputs: string[] = [];
/** Outputs that are tokens by request (--output-access-token, auth token). */
export const tokenOutputs: string[] = [];

export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "opcli-home-"));
  // An explicit file store: no keychain probe and no first-use fallback warning.
  return { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1", OPCLI_TOKEN_STORE: "file", ...extra };
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  onSpawn?: (pid: number) => void;
  onStderr?: (chunk: string) => void;
  /** stdout is a token by request: kept out of the leak scan. */
  printsToken?: boolean;
  /**
   * runCli in this process through the injected IO (test/helpers/cli-io.ts), as the binary would
   * run it with pipes for stdin, stdout and stderr; for tests that need no process of their own.
   */
  inProcess?: boolean;
}

function record(opts: RunOptions, stdout: string, stderr: string): void {
  if (opts.printsToken) tokenOutputs.push(stdout);
  else capturedOutputs.push(stdout);
  capturedOutputs.push(stderr);
}

async function runInThisProcess(args: string[], opts: RunOptions): Promise<RunResult> {
  if (opts.onSpawn) throw new Error("runOpcli: onSpawn needs a process (drop inProcess)");
  // Loaded on first use: the spawned tests do not load the CLI into the test worker.
  const { runInProcess } = await import("./cli-io.js");
  const r = await runInProcess(args, {
    env: opts.env ?? isolatedEnv(),
    stdin: opts.input ?? "",
    ...(opts.onStderr ? { onStderr: opts.onStderr } : {}),
  });
  record(opts, r.stdout, r.stderr);
  return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr };
}

/** Runs bin/opcli as a process (or in this one, with inProcess); never throws on a non-zero exit. */
export function runOpcli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (opts.inProcess) return runInThisProcess(args, opts);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OPCLI_BIN, ...args], {
      env: opts.env ?? isolatedEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    // Decode as a stream: a chunk boundary may split a multi-byte character.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      opts.onStderr?.(String(d));
    });
    child.on("error", reject);
    if (opts.onSpawn && child.pid) opts.onSpawn(child.pid);
    child.stdin.end(opts.input ?? "");
    child.on("close", (code, signal) => {
      record(opts, stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const sh = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Runs bin/opcli on a pseudo-terminal (util-linux `script`), as a person at a terminal would:
 * stdin, stdout and stderr are the terminal, so their output arrives together.
 */
export function runOpcliInPty(
  args: string[],
  opts: {
    env?: Record<string, string>;
    onOutput?: (chunk: string) => void;
    /** Typed at the terminal once the output so far contains the question. */
    answer?: { when: string; type: string };
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, OPCLI_BIN, ...args].map(sh).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: opts.env ?? isolatedEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    let answered = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      opts.onOutput?.(String(d));
      if (opts.answer && !answered && stdout.includes(opts.answer.when)) {
        answered = true;
        child.stdin.write(opts.answer.type);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      capturedOutputs.push(stdout);
      resolve({ code, signal, stdout, stderr: "" });
    });
  });
}

/** runOpcli in this process: the default for CLI behaviour tests (the binary has its own smoke tests). */
export function runOpcliInProcess(args: string[], opts: Omit<RunOptions, "inProcess" | "onSpawn"> = {}) {
  return runOpcli(args, { ...opts, inProcess: true });
}
