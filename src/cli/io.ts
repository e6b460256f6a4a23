import type { ClientIO } from "../client/options.js";
import type { LiteFetch } from "../http/lite.js";
import type { OutStream } from "../output/stream.js";
import { escapeControls } from "../platform/terminal-text.js";

export type { OutStream };

/** Everything the CLI touches outside itself, injected so tests run commands in process. */
export interface CliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  readStdin(): Promise<string>;
  /** Whether standard input is a terminal (a person could answer a prompt). */
  stdinIsTTY?: boolean;
  /** Reads one line from the terminal (a confirmation); absent where there is no terminal. */
  prompt?(question: string): Promise<string>;
  /** The same, without echoing what is typed (a secret). */
  promptSecret?(question: string): Promise<string>;
  readFile(path: string): string;
  readBytes(path: string): Uint8Array;
  now(): number;
  /** Replaces the default Ctrl-C behaviour (print, exit 130) with a graceful stop. */
  onInterrupt?(handler: () => void): void;
  /** Network transport factory (node:http by default). */
  transport?: LiteFetch;
}

/** The client's view of the CLI's IO: notices and traces on stderr. */
/** --no-input, or OPCLI_NO_INPUT=1|true|yes: nobody will answer a prompt. */
export function noInputWanted(flag: boolean, env: CliIO["env"]): boolean {
  return flag || /^(1|true|yes)$/i.test(env.OPCLI_NO_INPUT ?? "");
}

/** A person can answer: stdin and stderr are terminals and --no-input was not given. */
export function canPrompt(io: CliIO, noInput = false): boolean {
  return !noInput && io.stdinIsTTY === true && io.stderr.isTTY;
}

export function clientIO(io: CliIO, noInput = false): ClientIO {
  return {
    env: io.env,
    readFile: io.readFile,
    readBytes: io.readBytes,
    now: io.now,
    // Notices quote documents and servers (path keys, ids): shown escaped, as all their text is.
    notice: (line) => io.stderr.write(`opcli: ${escapeControls(line, true)}\n`),
    trace: (text) => io.stderr.write(text),
    interactive: canPrompt(io, noInput),
    ...(io.transport ? { transport: io.transport } : {}),
  };
}
