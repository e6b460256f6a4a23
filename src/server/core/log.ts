import pino from "pino";

/** Structured JSON-lines logger. Callers pass route patterns, never raw paths, cookies or tokens. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

// Names whose values are credentials; dropped even if a caller passes them by mistake.
const REDACT = /token|secret|password|cookie|authorization|session_id|^sid$/i;

export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = REDACT.test(k) ? "[redacted]" : v;
  return out;
}

/** Where log lines go: pino's asynchronous file-descriptor writer, or any `write(line)`. */
export interface LogDestination {
  write(line: string): unknown;
}

/** The asynchronous fd-2 writer (sonic-boom): a request's log line never waits on stderr. */
export function asyncStderr(): LogDestination {
  return pino.destination({ fd: 2, sync: false });
}

/**
 * The same JSON lines as jsonLogger (ts, level, msg, redacted fields), through pino: fields are
 * serialised once, and the line is written by pino's destination.
 */
export function pinoLogger(destination: LogDestination, now: () => number = Date.now): Logger {
  const p = pino(
    {
      base: undefined,
      messageKey: "msg",
      timestamp: () => `,"ts":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    info: (m, f) => p.info(f ? redactFields(f) : {}, m),
    warn: (m, f) => p.warn(f ? redactFields(f) : {}, m),
    error: (m, f) => p.error(f ? redactFields(f) : {}, m),
  };
}

export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  const emit = (level: string, msg: string, fields: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ ts: new Date(now()).toISOString(), level, msg, ...redactFields(fields) })}\n`);
  return {
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
