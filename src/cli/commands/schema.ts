import { findOperation } from "../../client/lookup.js";
import { UsageError } from "../../platform/errors.js";
import { closest } from "../../platform/suggest.js";
import type { ApiModel } from "../../spec/model.js";
import type { CliIO } from "../io.js";
import type { ParsedArgs } from "../parse.js";

/** --schema NAME, or --schema with --operation-id: a schema's description or a sample body. */
export async function schemaCommand(model: ApiModel, args: ParsedArgs, io: CliIO): Promise<void> {
  const { describeSchema, sampleOf, schemaByName } = await import("../../spec/schema-view.js");
  const name = args.str("schema");
  let schema: unknown;
  let title: string;
  if (name) {
    schema = schemaByName(model.schemas, name);
    if (schema === undefined) {
      const near = closest(name.replace(/^.*\//, ""), Object.keys(model.schemas));
      throw new UsageError(
        `unknown schema "${name}"${near.length ? `; did you mean ${near.join(", ")}?` : ""}`,
      );
    }
    title = name.replace(/^.*\//, "");
  } else if (args.str("operation-id")) {
    const op = findOperation(model, args.str("operation-id")!);
    if (!op.body) throw new UsageError(`${op.id} takes no request body`);
    schema = op.body.schema;
    title = op.body.schemaName ?? `${op.id} body`;
  } else {
    throw new UsageError("--schema needs a NAME, or --operation-id ID for that operation's body");
  }
  if (args.bool("schema-sample"))
    io.stdout.write(`${JSON.stringify(sampleOf(model.schemas, schema), null, 2)}\n`);
  // -o json: the schema itself (local $refs kept), for tools.
  else if (args.str("output") === "json")
    io.stdout.write(`${JSON.stringify({ name: title, schema }, null, io.stdout.isTTY ? 2 : 0)}\n`);
  else io.stdout.write(describeSchema(model.schemas, schema, title));
}
