// A failed call as the status line says it (the describe view and flashes use it).

/** A failure as the status line says it. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; status?: number; message?: string };
  if (e.name === "HttpStatusError" && e.status === 404)
    return "not found: someone may have ended it meanwhile (r refreshes)";
  if (e.name === "HttpStatusError" && (e.status === 401 || e.status === 403))
    return `not allowed (HTTP ${e.status}): ${e.message ?? ""}`.trim();
  if (e.name === "AuthError") return `sign-in failed: ${e.message ?? ""}`;
  if (e.name === "NetworkError") return `network: ${e.message ?? ""}`;
  return e.message ?? String(err);
}
