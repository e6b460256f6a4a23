import type { ApiModel, OperationModel, ParamModel } from "../spec/model.js";
import { UsageError } from "./errors.js";
import { closest } from "./suggest.js";

/** Janssen squashes tags into CLI names: "Auth - Session Management" -> AuthSessionManagement. */
export function squashTag(tag: string): string {
  return tag.replace(/[^A-Za-z0-9]+/g, "");
}

export function findTag(model: ApiModel, wanted: string): string {
  const exact = model.tags.find((t) => t.name === wanted);
  if (exact) return exact.name;
  const squashed = squashTag(wanted).toLowerCase();
  const match = model.tags.find((t) => squashTag(t.name).toLowerCase() === squashed);
  if (match) return match.name;
  const near = closest(
    wanted,
    model.tags.map((t) => squashTag(t.name)),
  );
  throw new UsageError(
    `unknown tag "${wanted}"${near.length ? `; did you mean ${near.join(", ")}?` : ""} (opcli --info lists them)`,
  );
}

function paramType(p: ParamModel): string {
  const t = p.schema.type;
  const base = Array.isArray(t) ? t.filter((x) => x !== "null").join("|") : (t ?? "string");
  const items = base === "array" && p.schema.items?.type ? `<${p.schema.items.type}>` : "";
  return `${base}${items}${p.schema.enum ? `: ${p.schema.enum.join("|")}` : ""}`;
}

export function listTags(model: ApiModel): string {
  const counts = new Map<string, number>();
  for (const op of model.operations)
    for (const t of op.tags.length ? op.tags : ["(untagged)"]) counts.set(t, (counts.get(t) ?? 0) + 1);
  const lines = [`${model.title || "API"} ${model.version}: ${model.operations.length} operations`, ""];
  const names = [...counts.keys()];
  const width = Math.max(...names.map((n) => squashTag(n).length), 4);
  for (const name of names) {
    lines.push(`  ${squashTag(name).padEnd(width)}  ${String(counts.get(name)).padStart(4)}  ${name}`);
  }
  lines.push("", "opcli --info TAG lists a tag's operations.");
  return `${lines.join("\n")}\n`;
}

function describeOperation(op: OperationModel): string[] {
  const lines = [`Operation ID: ${op.id}`, `  ${op.method} ${op.path}`];
  const text = op.description || op.summary;
  if (text) lines.push(`  Description: ${text.split("\n")[0]}`);
  const byLocation = (loc: string) => op.params.filter((p) => p.in === loc);
  const path = byLocation("path");
  const rest = op.params.filter((p) => p.in !== "path");
  if (path.length) {
    lines.push("  url-suffix:");
    for (const p of path) lines.push(`    ${p.name}: ${p.description || "-"} [${paramType(p)}]`);
  }
  if (rest.length) {
    lines.push("  Parameters:");
    for (const p of rest) {
      const flags = [p.in !== "query" ? p.in : "", p.required ? "required" : ""].filter(Boolean).join(", ");
      lines.push(`    ${p.name}: ${p.description || "-"} [${paramType(p)}]${flags ? ` (${flags})` : ""}`);
    }
  }
  if (op.body) {
    const name = op.body.schemaName ?? "(inline schema)";
    lines.push(
      `  Schema: ${name}${op.body.required ? " (required)" : ""} [${op.body.mediaTypes.join(", ")}]`,
    );
  }
  return lines;
}

export function listTagOperations(model: ApiModel, tag: string): string {
  const ops = model.operations.filter(
    (o) => o.tags.includes(tag) || (tag === "(untagged)" && o.tags.length === 0),
  );
  const out = [`${tag}: ${ops.length} operation${ops.length === 1 ? "" : "s"}`, ""];
  for (const op of ops) out.push(...describeOperation(op), "");
  return `${out.join("\n")}`;
}

export function findOperation(model: ApiModel, id: string): OperationModel {
  const op =
    model.operations.find((o) => o.id === id) ??
    model.operations.find((o) => o.id.toLowerCase() === id.toLowerCase());
  if (op) return op;
  const near = closest(
    id,
    model.operations.map((o) => o.id),
  );
  throw new UsageError(`unknown operation "${id}"${near.length ? `; did you mean ${near.join(", ")}?` : ""}`);
}
