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
  if (!out.isTTY) {
    out.write(`${JSON.stringify(value)}\n`);
    return;
  }
  const text = JSON.stringify(value, null, 2);
  if (env.NO_COLOR) {
    out.write(`${text}\n`);
    return;
  }
  const { Chalk } = await import("chalk");
  const chalk = new Chalk();
  if (chalk.level === 0) {
    out.write(`${text}\n`);
    return;
  }
  out.write(
    `${colourise(text, { key: chalk.blue, str: chalk.green, num: chalk.yellow, lit: chalk.magenta })}\n`,
  );
}
