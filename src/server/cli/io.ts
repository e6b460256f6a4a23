import { readFileSync } from "node:fs";
import { asyncStderr, type LogDestination } from "../core/log.js";

export interface ServerIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => string;
  /** Where the server's JSON log lines go (default: stderr through io.stderr). */
  logDestination?: () => LogDestination;
}

export function processIO(): ServerIO {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: () => readFileSync(0, "utf8"),
    logDestination: asyncStderr,
  };
}
