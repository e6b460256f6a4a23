import { BodyError, type BuiltBody, buildBody, formObject, isJsonType } from "../http/body.js";
import { UsageError } from "../platform/errors.js";
import { closest } from "../platform/suggest.js";
import { coerceFormFields, formProperties, unknownFormFields } from "../spec/form-values.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { validateBody } from "../spec/validate.js";

/** A request body as the user gave it: its text, and its bytes when it came from a file. */
export interface DataInput {
  text: string;
  bytes?: Uint8Array;
}

/** `--data JSON|@file|-`: the text itself, a file's bytes, or standard input. */
export async function readDataArg(
  raw: string,
  io: { readStdin(): Promise<string>; readBytes(path: string): Uint8Array },
): Promise<DataInput> {
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

async function checkAgainstSchema(
  model: ApiModel,
  op: OperationModel,
  value: unknown,
  warn?: (line: string) => void,
): Promise<void> {
  const problems = await validateBody(model.openapi, op.body!.schema, model.schemas, value, warn);
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const more = rest.length ? ` (and ${rest.length} more)` : "";
  throw new UsageError(
    `--data does not match ${op.body?.schemaName ?? "the body schema"}: ${first!.pointer} ${first!.message}${more}; --no-validate sends it anyway`,
  );
}

export interface BodyOptions {
  contentType?: string;
  /** Check JSON bodies against the schema (default true). */
  validate?: boolean;
  readBytes(path: string): Uint8Array;
  /** Where a warning goes (a schema that cannot be compiled). */
  warn?: (line: string) => void;
}

/** The serialised body for an operation, checked before anything is sent. */
export async function bodyFor(
  model: ApiModel,
  op: OperationModel,
  data: DataInput | undefined,
  opts: BodyOptions,
): Promise<BuiltBody | undefined> {
  if (data === undefined) {
    if (op.body?.required)
      throw new UsageError(
        `${op.id} needs a request body: --data JSON|@file|- (opcli --schema --operation-id ${op.id})`,
      );
    return undefined;
  }
  if (!op.body) throw new UsageError(`${op.id} takes no request body`);
  const contentType = chooseMediaType(op, opts.contentType);
  const fields =
    isJsonType(contentType) || !/form/i.test(contentType) ? undefined : formFieldsFor(model, op, data);
  if (fields && opts.validate !== false) await checkForm(model, op, fields);
  let body: BuiltBody;
  try {
    body = buildBody(contentType, data, opts.readBytes, {
      ...(fields ? { fields } : {}),
      encoding: op.body.encodings?.[contentType] ?? {},
    });
  } catch (err) {
    if (err instanceof BodyError) throw new UsageError(err.message);
    throw new UsageError(
      `--data: cannot read a file part: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (isJsonType(contentType) && opts.validate !== false)
    await checkAgainstSchema(model, op, JSON.parse(data.text), opts.warn);
  return body;
}

/** A form's fields from --data, typed as the schema says. */
function formFieldsFor(model: ApiModel, op: OperationModel, data: DataInput): Record<string, unknown> {
  try {
    const fields = formObject(data.text);
    // Text fields are typed by the schema; JSON ones already carry their types.
    return data.text.trim().startsWith("{")
      ? fields
      : coerceFormFields(model.schemas, op.body!.schema, fields);
  } catch (err) {
    if (err instanceof BodyError) throw new UsageError(err.message);
    throw err;
  }
}

/** Forms are checked as JSON bodies are, and a name the form does not declare is refused. */
async function checkForm(
  model: ApiModel,
  op: OperationModel,
  fields: Record<string, unknown>,
): Promise<void> {
  const unknown = unknownFormFields(model.schemas, op.body!.schema, fields);
  if (unknown.length > 0) {
    const names = [...formProperties(model.schemas, op.body!.schema).keys()];
    const hint = closest(unknown[0]!, names, 1)[0];
    throw new UsageError(
      `--data: /${unknown[0]} is not a field of ${op.body?.schemaName ?? "this form"}${hint ? ` (did you mean ${hint}?)` : ""}; fields: ${names.join(", ")}; --no-validate sends it anyway`,
    );
  }
  await checkAgainstSchema(model, op, fields);
}
