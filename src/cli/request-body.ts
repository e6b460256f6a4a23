import { BodyError, type BuiltBody, buildBody, isJsonType } from "../http/body.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { validateBody } from "../spec/validate.js";
import { UsageError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import type { CliIO } from "./io.js";

async function readData(raw: string, io: CliIO): Promise<{ text: string; bytes?: Uint8Array }> {
  if (raw === "-") return { text: await io.readStdin() };
  if (raw.startsWith("@")) {
    try {
      const bytes = io.readBytes(raw.slice(1));
      return { text: Buffer.from(bytes).toString("utf8"), bytes };
    } catch (err) {
      throw new UsageError(`--data: cannot read ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  return { text: raw };
}

function chooseMediaType(op: OperationModel, wanted: string | undefined): string {
  const types = op.body?.mediaTypes ?? [];
  if (wanted) {
    const hit = types.find((t) => t.toLowerCase() === wanted.toLowerCase());
    if (!hit) throw new UsageError(`${op.id} takes ${types.join(", ")}, not ${wanted}`);
    return hit;
  }
  return types.find(isJsonType) ?? types[0] ?? "application/json";
}

async function checkAgainstSchema(model: ApiModel, op: OperationModel, text: string): Promise<void> {
  const problems = await validateBody(model.openapi, op.body!.schema, model.schemas, JSON.parse(text));
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const more = rest.length ? ` (and ${rest.length} more)` : "";
  throw new UsageError(
    `--data does not match ${op.body?.schemaName ?? "the body schema"}: ${first!.pointer} ${first!.message}${more}; --no-validate sends it anyway`,
  );
}

export async function bodyFor(
  model: ApiModel,
  op: OperationModel,
  flags: ParsedFlags,
  io: CliIO,
): Promise<BuiltBody | undefined> {
  const raw = flags.data as string | undefined;
  if (raw === undefined) {
    if (op.body?.required)
      throw new UsageError(
        `${op.id} needs a request body: --data JSON|@file|- (opcli --schema --operation-id ${op.id})`,
      );
    return undefined;
  }
  if (!op.body) throw new UsageError(`${op.id} takes no request body`);
  const contentType = chooseMediaType(op, flags["content-type"] as string | undefined);
  const data = await readData(raw, io);
  let body: BuiltBody;
  try {
    body = buildBody(contentType, data, (p) => io.readBytes(p));
  } catch (err) {
    if (err instanceof BodyError) throw new UsageError(err.message);
    throw new UsageError(
      `--data: cannot read a file part: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (isJsonType(contentType) && !flags["no-validate"]) await checkAgainstSchema(model, op, data.text);
  return body;
}
