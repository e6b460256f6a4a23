import { findTag, squashTag } from "../../client/lookup.js";
import { type ApiModel, displayPath, type OperationModel, type ParamModel } from "../../spec/model.js";

// --info: tags with their operation counts, or one tag's operations, config-cli style.

export const UNTAGGED = "(untagged)";

export function paramType(p: ParamModel): string {
  const t = p.schema.type;
  const base = Array.isArray(t) ? t.filter((x) => x !== "null").join("|") : (t ?? "string");
  const items = base === "array" && p.schema.items?.type ? `<${p.schema.items.type}>` : "";
  return `${base}${items}${p.schema.enum ? `: ${p.schema.enum.join("|")}` : ""}`;
}

export function listTags(model: ApiModel): string {
  const counts = new Map<string, number>();
  for (const op of model.operations)
    for (const t of op.tags.length ? op.tags : [UNTAGGED]) counts.set(t, (counts.get(t) ?? 0) + 1);
  const lines = [`${model.title || "API"} ${model.version}: ${model.operations.length} operations`, ""];
  const names = [...counts.keys()];
  const width = Math.max(...names.map((n) => squashTag(n).length), 4);
  for (const name of names) {
    lines.push(`  ${squashTag(name).padEnd(width)}  ${String(counts.get(name)).padStart(4)}  ${name}`);
  }
  lines.push("", "opcli --info TAG lists a tag's operations; opcli --info --all lists every operation.");
  return `${lines.join("\n")}\n`;
}

export function describeOperation(op: OperationModel): string[] {
  const lines = [`Operation ID: ${op.id}`, `  ${op.method} ${displayPath(op)}`];
  const text = op.description || op.summary;
  if (text) lines.push(`  Description: ${text.split("\n")[0]}`);
  const path = op.params.filter((p) => p.in === "path");
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
    (o) => o.tags.includes(tag) || (tag === UNTAGGED && o.tags.length === 0),
  );
  const out = [`${tag}: ${ops.length} operation${ops.length === 1 ? "" : "s"}`, ""];
  for (const op of ops) out.push(...describeOperation(op), "");
  return `${out.join("\n")}`;
}

/** Every operation, whatever its tags (`--info --all`). */
export function listAllOperations(model: ApiModel): string {
  const out = [`${model.title || "API"}: ${model.operations.length} operations`, ""];
  for (const op of model.operations) out.push(...describeOperation(op), "");
  return out.join("\n");
}

/** The group a name given to --info stands for: a tag, or the untagged operations as listed. */
function groupNamed(model: ApiModel, wanted: string): string {
  const untagged = model.operations.some((o) => o.tags.length === 0);
  const isUntagged = wanted === UNTAGGED || squashTag(wanted).toLowerCase() === squashTag(UNTAGGED);
  if (untagged && isUntagged && !model.tags.some((t) => t.name === wanted)) return UNTAGGED;
  return findTag(model, wanted);
}

/** `--info` (empty) lists tags; `--info TAG` one tag's operations; `--info --all` every operation. */
export function infoText(model: ApiModel, tag: string, all = false): string {
  if (all) return listAllOperations(model);
  return tag === "" ? listTags(model) : listTagOperations(model, groupNamed(model, tag));
}

/** The same listings as data, for `-o json`. */
export function infoJson(model: ApiModel, tag: string, all = false): unknown {
  const op = (o: OperationModel) => ({
    operationId: o.id,
    method: o.method,
    path: displayPath(o),
    summary: o.summary,
    tags: o.tags,
    parameters: o.params.map((p) => ({ name: p.name, in: p.in, required: p.required, type: paramType(p) })),
    ...(o.body ? { body: { required: o.body.required, mediaTypes: o.body.mediaTypes } } : {}),
  });
  if (all) return model.operations.map(op);
  if (tag === "") {
    const counts = new Map<string, number>();
    for (const o of model.operations)
      for (const t of o.tags.length ? o.tags : [UNTAGGED]) counts.set(t, (counts.get(t) ?? 0) + 1);
    return {
      title: model.title,
      version: model.version,
      operations: model.operations.length,
      tags: [...counts].map(([name, operations]) => ({ name, squashed: squashTag(name), operations })),
    };
  }
  const group = groupNamed(model, tag);
  return model.operations
    .filter((o) => o.tags.includes(group) || (group === UNTAGGED && o.tags.length === 0))
    .map(op);
}
