import { type CredentialPlacement, placedValue } from "../auth/placement.js";
import type { OperationCall, PlacedCredential } from "../http/send.js";
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

/** Stands for the token in a command being built; replaced by a command substitution once quoted. */
const MARK = "opcliTOKENmark";

/** A shell word; one holding the mark is double-quoted so the shell runs `$(command)` in its place. */
function word(raw: string, command: string): string {
  if (!raw.includes(MARK)) return shellQuote(raw);
  return `"${raw.replace(/[\\"$`]/g, "\\$&").replaceAll(MARK, `$(${command})`)}"`;
}

export interface CurlCredential {
  placement: CredentialPlacement;
  /** The token itself (--show-token); else the command obtains it with --output-access-token. */
  token?: string;
}

/** The exact equivalent curl command; the token as $(opcli --output-access-token ...) unless shown. */
export function curlCommand(call: OperationCall, args: ParsedArgs, credential?: CurlCredential): string {
  const command = tokenCommand(args, call.op.id);
  const p = credential?.placement;
  // Basic credentials from a command cannot be base64-encoded in place: curl's -u does it.
  const viaUser = p?.form === "basic" && credential?.token === undefined;
  const placed: PlacedCredential | undefined =
    p && !viaUser ? { in: p.in, name: p.name, value: placedValue(p, credential?.token ?? MARK) } : undefined;
  const full: OperationCall = { ...call, ...(placed ? { credential: placed } : {}) };
  const lines = [`curl -X ${call.op.method} ${word(operationUrl(full), command)}`];
  if (args.bool("insecure")) lines.push("  --insecure");
  if (viaUser) lines.push(`  -u "$(${command})"`);
  for (const [name, value] of Object.entries(operationHeaders(full)))
    lines.push(`  -H ${word(`${name}: ${value}`, command)}`);
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
