import { UsageError } from "../platform/errors.js";
import { type CliIO, canPrompt } from "./io.js";

// Secrets given to flags: `-` reads standard input (a hidden prompt on a terminal), `@FILE` a
// file; a literal value works but is visible to every user of the machine (ps), so it is warned of.

export async function readSecretValue(flag: string, raw: string, io: CliIO): Promise<string> {
  if (raw === "-") {
    if (canPrompt(io) && io.promptSecret) return (await io.promptSecret(`${flag}: `)).trim();
    const text = (await io.readStdin()).replace(/\r?\n$/, "");
    if (text === "") throw new UsageError(`${flag} -: standard input was empty`);
    return text;
  }
  if (raw.startsWith("@")) {
    try {
      return io.readFile(raw.slice(1)).replace(/\r?\n$/, "");
    } catch (err) {
      throw new UsageError(
        `${flag}: cannot read ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  }
  io.stderr.write(
    `opcli: warning: ${flag} on the command line is visible to other users (ps); use ${flag} @FILE, ${flag} - or the environment\n`,
  );
  return raw;
}
