// Deterministic operation IDs for documents that lack them: method + path, kebab-cased,
// with path parameters kept as "by-NAME" (GET /users/{id}/roles -> get-users-by-id-roles).

export function deriveOperationId(method: string, path: string): string {
  const parts = path
    .split("/")
    .filter(Boolean)
    .map((seg) =>
      seg
        .replace(/\{([^}]+)\}/g, "by-$1")
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .replace(/[^A-Za-z0-9]+/g, "-")
        .toLowerCase(),
    )
    .filter(Boolean);
  return [method.toLowerCase(), ...parts].join("-").replace(/-+/g, "-").replace(/-$/, "");
}

/** Path segments every path shares at its start (Keycloak's /admin/realms/{realm}), for shorter names. */
export function commonPrefix(paths: string[]): string {
  if (paths.length < 2) return "";
  const split = paths.map((p) => p.split("/").filter(Boolean));
  const first = split[0]!;
  let n = 0;
  // Keep at least one segment of every path.
  while (n < first.length && split.every((segs) => segs.length > n + 1 && segs[n] === first[n])) n++;
  return n === 0 ? "" : `/${first.slice(0, n).join("/")}`;
}

/** Renames ids that clash (exactly, or only by case) by suffixing -2, -3 ..., reporting each once. */
export function disambiguate(ids: string[]): { ids: string[]; warnings: string[] } {
  const seen = new Map<string, number>();
  const warnings: string[] = [];
  const out = ids.map((id) => {
    const key = id.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n === 1) return id;
    const renamed = `${id}-${n}`;
    warnings.push(`operation id "${id}" clashes with an earlier one; available as "${renamed}"`);
    return renamed;
  });
  return { ids: out, warnings };
}

/** A fixed query parameter a path key carries. */
export interface FixedQuery {
  name: string;
  value: string;
}

/**
 * Splits a path key. A `#fragment` is only a label that tells apart operations on one method and
 * path (OpenAPI cannot hold two): RFC 3986 §3.5, a fragment is never sent, so it never becomes
 * part of a request. A `?query` carries fixed query parameters (`/sessions?_action=logout`).
 */
export function splitPathKey(key: string): { path: string; fixed: FixedQuery[]; label?: string } {
  const hash = key.indexOf("#");
  const label = hash >= 0 ? key.slice(hash + 1) : undefined;
  const rest = hash >= 0 ? key.slice(0, hash) : key;
  const q = rest.indexOf("?");
  const fixed =
    q < 0
      ? []
      : [...new URLSearchParams(rest.slice(q + 1)).entries()]
          .filter(([name]) => name !== "")
          .map(([name, value]) => ({ name, value }));
  return { path: (q < 0 ? rest : rest.slice(0, q)) || "/", fixed, ...(label ? { label } : {}) };
}
