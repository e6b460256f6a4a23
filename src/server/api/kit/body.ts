import type { Context } from "hono";

// The one JSON body reader of every face: the body read once (hono's cache, as the body guard
// left it), parsed, and kept only when it is an object; otherwise a reason fit for a 400.

/** The body as a JSON object, or why it is not one; an empty body is `{}` when `emptyIsObject`. */
export async function jsonObject(
  c: Context,
  opts: { emptyIsObject?: boolean } = {},
): Promise<Record<string, unknown> | string> {
  const text = await c.req.text();
  if (opts.emptyIsObject && text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "the body is not valid JSON";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return "the body must be a JSON object";
  return parsed as Record<string, unknown>;
}
