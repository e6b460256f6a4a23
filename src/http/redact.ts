// The one list of credential-bearing names whose values never reach the terminal, logs or
// errors: --debug, -v, --curl (unless --show-secrets) and error lines all redact through it.
const SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-auth-token",
  "x-openam-password",
  "iplanetdirectorypro",
]);

/** Field, form and query names (compared without case). */
export const SENSITIVE_FIELDS = [
  "access_token",
  "refresh_token",
  "id_token",
  "client_secret",
  "client_assertion",
  "assertion",
  "password",
  "new_password",
  "current_password",
  "newPassword",
  "currentPassword",
  "userPassword",
  "token",
  "tokenId",
  "ujwt",
  "code",
  "code_verifier",
  "device_code",
  "user_code",
  "session_id",
  "iPlanetDirectoryPro",
  "api_key",
  "apikey",
  "secret",
] as const;

const NAMES = SENSITIVE_FIELDS.map((f) => f.replace(/[^A-Za-z0-9_]/g, "")).join("|");
// "name": "value" in JSON (any depth), and name=value in forms, queries and URLs in text.
const JSON_FIELD = new RegExp(`("(?:${NAMES})"\\s*:\\s*)"(?:\\\\.|[^"\\\\])*"`, "gi");
const FORM_FIELD = new RegExp(`(^|[?&;\\s])(${NAMES})=[^&;\\s#"']*`, "gi");

export const REDACTED = "[redacted]";

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

export function redactHeader(name: string, value: string): string {
  if (!isSensitiveHeader(name)) return value;
  const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

/**
 * Redacts sensitive values in JSON and form bodies, URLs and any text quoting them; a value
 * holding `keep` (a placeholder the caller substitutes later) is left alone.
 */
export function redactBody(body: string, keep?: string): string {
  const kept = (m: string, redacted: string) => (keep && m.includes(keep) ? m : redacted);
  return body
    .replace(JSON_FIELD, (m, head: string) => kept(m, `${head}"${REDACTED}"`))
    .replace(FORM_FIELD, (m, lead: string, name: string) => kept(m, `${lead}${name}=${REDACTED}`));
}
