import { type CredentialPlacement, placedValue } from "../auth/placement.js";
import { isSensitiveHeader, REDACTED, redactBody } from "../http/redact.js";
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

/** The credential as placed with the mark, and as placed with the real token (--show-token). */
type Swap = [marked: string, real: string];

/** A shell word; one holding the mark is double-quoted so the shell runs `$(command)` in its place. */
function word(raw: string, command: string, swap?: Swap): string {
  if (swap) return shellQuote(raw.replaceAll(swap[0], swap[1]));
  if (!raw.includes(MARK)) return shellQuote(raw);
  return `"${raw.replace(/[\\"$`]/g, "\\$&").replaceAll(MARK, `$(${command})`)}"`;
}

export interface CurlCredential {
  placement: CredentialPlacement;
  /** The token itself (--show-token); else the command obtains it with --output-access-token. */
  token?: string;
}

/**
 * The exact equivalent curl command; the token as $(opcli --output-access-token ...) unless shown;
 * passwords and secrets of the request as [redacted] unless --show-secrets.
 */
export function curlCommand(call: OperationCall, args: ParsedArgs, credential?: CurlCredential): string {
  const command = tokenCommand(args, call.op.id);
  const show = args.bool("show-secrets");
  const p = credential?.placement;
  const token = credential?.token;
  // Basic credentials from a command cannot be base64-encoded in place: curl's -u does it.
  const viaUser = p?.form === "basic" && token === undefined;
  // The credential is placed as the mark and becomes the real token only after redaction.
  const placed: PlacedCredential | undefined =
    p && !viaUser ? { in: p.in, name: p.name, value: placedValue(p, MARK) } : undefined;
  const swap: Swap | undefined =
    placed && token !== undefined ? [placed.value, placedValue(p!, token)] : undefined;
  const hide = (s: string) => (show ? s : redactBody(s, placed?.value));
  const full: OperationCall = { ...call, ...(placed ? { credential: placed } : {}) };
  const lines = [`curl -X ${call.op.method} ${word(hide(operationUrl(full)), command, swap)}`];
  if (args.bool("insecure")) lines.push("  --insecure");
  if (viaUser) lines.push(`  -u "$(${command})"`);
  for (const [name, value] of Object.entries(operationHeaders(full))) {
    const ours = placed !== undefined && value.includes(placed.value);
    const shown = show || ours || !isSensitiveHeader(name) ? value : REDACTED;
    lines.push(`  -H ${word(`${name}: ${shown}`, command, swap)}`);
  }
  const body = call.body?.payload;
  let prefix = "";
  if (body !== undefined) {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("latin1");
    const printable = typeof body === "string" || /^[\x20-\x7e\r\n\t]*$/.test(text);
    if (printable) lines.push(`  --data-binary ${shellQuote(hide(text))}`);
    else {
      // Binary bodies travel as base64 through a pipe: no shell word can hold a NUL byte.
      prefix = `printf '%s' ${Buffer.from(body as Uint8Array).toString("base64")} | base64 -d | `;
      lines.push("  --data-binary @-");
    }
  }
  return `${prefix}${lines.join(" \\\n")}\n`;
}
