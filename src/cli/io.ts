import type { ClientIO } from "../client/options.js";
import type { LiteFetch } from "../http/lite.js";
import type { OutStream } from "../output/stream.js";

export type { OutStream };

/** Everything the CLI touches outside itself, injected so tests run commands in process. */
export interface CliIO {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  readStdin(): Promise<string>;
  readFile(path: string): string;
  readBytes(path: string): Uint8Array;
  now(): number;
  /** Replaces the default Ctrl-C behaviour (print, exit 130) with a graceful stop. */
  onInterrupt?(handler: () => void): void;
  /** Network transport factory (node:http by default). */
  transport?: LiteFetch;
}

/** The client's view of the CLI's IO: notices and traces on stderr. */
export function clientIO(io: CliIO): ClientIO {
  return {
    env: io.env,
    readFile: io.readFile,
    readBytes: io.readBytes,
    now: io.now,
    notice: (line) => io.stderr.write(`opcli: ${line}\n`),
    trace: (text) => io.stderr.write(text),
    interactive: io.stderr.isTTY,
    ...(io.transport ? { transport: io.transport } : {}),
  };
}
