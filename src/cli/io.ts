import type { LiteFetch } from "../http/lite.js";
import type { OutStream } from "../output/stream.js";

export type { OutStream };

/** Everything the CLI touches outside itself, injected so tests never patch globals. */
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
