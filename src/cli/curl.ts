import type { OperationCall } from "../http/send.js";
import { operationHeaders, operationUrl } from "../http/send.js";
import type { ParsedArgs } from "./parse.js";

/** POSIX single quotes: everything literal, ' written as '\''. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The flags that make `opcli --output-access-token` obtain the token this call would use. */
function tokenCommand(args: ParsedArgs, opId: string): string {
  const keep = ["spec", "host", "profile", "client-id", "token-url", "cacert", "cert", "key"];
  const parts = ["opcli", "--output-access-token", "--operation-id", opId];
  for (const k of keep) {
    const v = args.str(k);
    if (v !== undefined) parts.push(`--${k}`, shellQuote(v));
  }
  if (args.bool("insecure")) parts.push("--insecure");
  return parts.join(" ");
}

/** The exact equivalent curl command; the token as $(opcli --output-access-token ...) unless shown. */
export function curlCommand(
  call: OperationCall,
  args: ParsedArgs,
  credential?: { header: string; value: string; literal: boolean },
): string {
  const lines = [`curl -X ${call.op.method} ${shellQuote(operationUrl(call))}`];
  if (args.bool("insecure")) lines.push("  --insecure");
  for (const [name, value] of Object.entries(operationHeaders(call)))
    lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  if (credential) {
    if (credential.literal) lines.push(`  -H ${shellQuote(`${credential.header}: ${credential.value}`)}`);
    // Double quotes so the shell runs the substitution when the command is pasted.
    else lines.push(`  -H "${credential.header}: Bearer $(${tokenCommand(args, call.op.id)})"`);
  }
  const body = call.body?.payload;
  if (body !== undefined) {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("latin1");
    // Binary bodies are written with $'...' escapes so every byte survives.
    const printable = typeof body === "string" || /^[\x20-\x7e\r\n\t]*$/.test(text);
    lines.push(
      printable
        ? `  --data-binary ${shellQuote(text)}`
        : `  --data-binary $'${[...Buffer.from(body as Uint8Array)].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}'`,
    );
  }
  return `${lines.join(" \\\n")}\n`;
}
