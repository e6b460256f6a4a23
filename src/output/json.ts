import { safeJson } from "../platform/terminal-text.js";
import { colourEnabled } from "./colour.js";
import type { OutStream } from "./stream.js";

type Paint = {
  key(s: string): string;
  str(s: string): string;
  num(s: string): string;
  lit(s: string): string;
};

function colourise(text: string, paint: Paint): string {
  // Tokens of JSON.stringify output: keys, strings, numbers, literals; punctuation as is.
  return text.replace(
    /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g,
    (m, s: string | undefined, colon: string | undefined, n: string | undefined, lit: string | undefined) => {
      if (s !== undefined) return colon ? `${paint.key(s)}${colon}` : paint.str(s);
      if (n !== undefined) return paint.num(n);
      if (lit !== undefined) return paint.lit(lit);
      return m;
    },
  );
}

/** JSON on stdout: pretty (and coloured, as chalk decides) on a terminal, compact when piped. */
export async function printJson(
  value: unknown,
  out: OutStream,
  env: Record<string, string | undefined>,
): Promise<void> {
  // Pretty on a terminal, compact on a pipe; coloured as colourEnabled decides (forced on a pipe too).
  const text = safeJson(out.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value));
  if (!colourEnabled(env, out.isTTY)) {
    out.write(`${text}\n`);
    return;
  }
  const { Chalk } = await import("chalk");
  const chalk = new Chalk({ level: 1 });
  out.write(
    `${colourise(text, { key: chalk.blue, str: chalk.green, num: chalk.yellow, lit: chalk.magenta })}\n`,
  );
}
