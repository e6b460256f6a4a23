import { readFileSync } from "node:fs";

export interface ServerIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => string;
}

export function processIO(): ServerIO {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: () => readFileSync(0, "utf8"),
  };
}
