// What the core answers when it cannot do what was asked; each API face turns these into its
// own status codes and error shapes. Typed values, not exceptions.

export type CoreErrorKind =
  | "invalid"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  | "locked"
  | "too_many";

export interface CoreError {
  kind: CoreErrorKind;
  message: string;
  /** The request parameter at fault, when one is. */
  param?: string;
  /** Seconds until a retry can succeed (locked, too_many). */
  retryAfter?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CoreError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export function fail<T = never>(
  kind: CoreErrorKind,
  message: string,
  extra: Partial<CoreError> = {},
): Result<T> {
  return { ok: false, error: { kind, message, ...extra } };
}
