// Credential-bearing names whose values never reach the terminal, logs or errors.
const SENSITIVE_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);
const SENSITIVE_FIELDS = [
  "access_token",
  "refresh_token",
  "id_token",
  "client_secret",
  "password",
  "token",
  "device_code",
];

export function redactHeader(name: string, value: string): string {
  if (!SENSITIVE_HEADERS.has(name.toLowerCase())) return value;
  const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} [redacted]` : "[redacted]";
}

/** Redacts sensitive fields in JSON and form bodies. */
export function redactBody(body: string): string {
  let out = body;
  for (const f of SENSITIVE_FIELDS) {
    out = out
      .replace(new RegExp(`("${f}"\\s*:\\s*)"(?:\\\\.|[^"\\\\])*"`, "g"), '$1"[redacted]"')
      .replace(new RegExp(`(^|&)(${f})=[^&]*`, "g"), "$1$2=[redacted]");
  }
  return out;
}
