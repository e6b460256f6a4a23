import { UsageError } from "../platform/errors.js";
import { closest } from "../platform/suggest.js";
import type { ApiModel, OperationModel } from "../spec/model.js";

/** config-cli squashes tags into CLI names: "Auth - Session Management" -> AuthSessionManagement. */
export function squashTag(tag: string): string {
  return tag.replace(/[^A-Za-z0-9]+/g, "");
}

export function findTag(model: ApiModel, wanted: string): string {
  const exact = model.tags.find((t) => t.name === wanted);
  if (exact) return exact.name;
  const squashed = squashTag(wanted).toLowerCase();
  const match = model.tags.find((t) => squashTag(t.name).toLowerCase() === squashed);
  if (match) return match.name;
  // An operation ID where a tag was wanted: the right kind of thing to suggest is that operation.
  const op = model.operations.find((o) => o.id.toLowerCase() === wanted.toLowerCase());
  if (op)
    throw new UsageError(
      `"${wanted}" is an operation, not a tag: opcli --operation-id ${op.id} --help${op.tags[0] ? ` (its tag: ${squashTag(op.tags[0])})` : ""}`,
    );
  const near = closest(
    wanted,
    model.tags.map((t) => squashTag(t.name)),
  );
  throw new UsageError(
    `unknown tag "${wanted}"${near.length ? `; did you mean ${near.join(", ")}?` : ""} (opcli --info lists them)`,
  );
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
