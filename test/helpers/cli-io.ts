import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import type { CliIO } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";
import { appFetch } from "../../src/http/app-fetch.js";
import type { LiteFetch } from "../../src/http/lite.js";

// The CLI in process, as the GitHub CLI's iostreams.Test(): argv in, captured stdout/stderr
// and the exit code out, with the environment, terminal flags and transport injected.

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  transport?: LiteFetch;
  /** Called with each write to stderr, as it happens. */
  onStderr?: (chunk: string) => void;
}

export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const home = mkdtempSync(join(tmpdir(), "opcli-inproc-"));
  return { HOME: home, NO_COLOR: "1", OPCLI_TOKEN_STORE: "file", ...extra };
}

export async function runInProcess(argv: string[], opts: InProcessOptions = {}): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    argv,
    env: opts.env ?? testEnv(),
    stdout: {
      write: (s) => {
        stdout += s;
      },
      isTTY: opts.stdoutTTY ?? false,
    },
    stderr: {
      write: (s) => {
        stderr += s;
        opts.onStderr?.(s);
      },
      isTTY: opts.stderrTTY ?? false,
    },
    readStdin: async () => opts.stdin ?? "",
    readFile: (p) => readFileSync(p, "utf8"),
    readBytes: (p) => readFileSync(p),
    now: () => Date.now(),
    ...(opts.transport ? { transport: opts.transport } : {}),
  };
  const code = await runCli(io);
  return { code, stdout, stderr };
}

/** A transport that hands requests straight to an in-process Hono app (the reference server). */
export function appTransport(app: Hono): LiteFetch {
  return appFetch(app);
}
