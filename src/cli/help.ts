import { formatArgPairs } from "../client/arg-pairs.js";
import { displayPath, type OperationModel, type ParamModel } from "../spec/model.js";
import { paramType } from "./commands/info.js";
import { EXIT_CODE_TABLE } from "./exit-codes.js";
import {
  COMMANDS,
  type CommandSpec,
  ENVIRONMENT,
  FLAGS,
  type FlagSpec,
  flagSpec,
  subcommandsOf,
  TOP_COMMANDS,
} from "./table.js";

// Help pages, all generated from the command table (and, for an operation, from its model).

function flagLine(f: FlagSpec): string {
  const left = `  ${f.alias ? `-${f.alias}, ` : ""}--${f.name}${f.arg ? ` ${f.arg}` : ""}`;
  const extra = [
    f.values ? f.values.join("|") : "",
    f.default ? `default: ${f.default}` : "",
    f.env ? `env ${f.env}` : "",
  ].filter(Boolean);
  const desc = `${f.desc}${extra.length ? ` (${extra.join("; ")})` : ""}`;
  // A long flag puts its description on the next line rather than breaking the column.
  return left.length < 38 ? `${left.padEnd(38)} ${desc}` : `${left}\n${" ".repeat(39)}${desc}`;
}

export function helpText(version: string): string {
  const groups = [...new Set(FLAGS.map((f) => f.group))];
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = [
    `opcli ${version}: run any operation of an OpenAPI document, config-cli style.`,
    "",
    "Usage:",
    "  opcli --info [TAG]",
    '  opcli --operation-id ID [--url-suffix "name:value"] [--endpoint-args "k:v,..."] [--data JSON|@file|-]',
    "  opcli --operation-id ID --help                      that operation's parameters",
    "  opcli --schema NAME | --operation-id ID --schema [--schema-sample]",
    "  opcli --output-access-token [--token-format raw|header|env|json]",
    "  opcli --operation-id ID --all [-o ndjson|csv|...] | --batch FILE|- | --curl",
    "  opcli COMMAND [--help]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
  ];
  for (const g of groups) {
    lines.push(`${g}:`);
    for (const f of FLAGS.filter((x) => x.group === g)) lines.push(flagLine(f));
    lines.push("");
  }
  const envWidth = Math.max(...ENVIRONMENT.map(([n]) => n.length));
  lines.push(
    "With nothing configured, opcli drives the embedded reference server over its local store.",
    "",
    "Environment:",
    ...ENVIRONMENT.map(([n, d]) => `  ${n.padEnd(envWidth)}  ${d}`),
    "",
    EXIT_CODE_TABLE,
  );
  return `${lines.join("\n")}\n`;
}

function commandPage(c: CommandSpec): string[] {
  const lines = [`opcli ${c.name}${c.args ? ` ${c.args}` : ""}: ${c.summary}`, ""];
  if (c.flags.length) {
    lines.push("Flags:");
    for (const n of c.flags) lines.push(flagLine(flagSpec(n)!));
    lines.push("");
  }
  lines.push("Examples:", ...c.examples.map((e) => `  ${e}`), "");
  return lines;
}

/** `opcli auth --help`, `opcli config set --help`: a group's subcommands, or one command. */
export function commandHelp(words: string[]): string | undefined {
  const exact = COMMANDS.find((c) => c.name === words.join(" "));
  if (exact) return `${commandPage(exact).join("\n")}\n${EXIT_CODE_TABLE}\n`;
  const group = words[0];
  if (!group || !TOP_COMMANDS.includes(group)) return undefined;
  const subs = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  const flags = [...new Set(subs.flatMap((c) => c.flags))];
  const width = Math.max(...subs.map((c) => c.name.length - group.length - 1));
  const lines = [
    `opcli ${group} ${subcommandsOf(group).join("|")}`,
    "",
    "Subcommands:",
    ...subs.map((c) => `  ${c.name.slice(group.length + 1).padEnd(width)}  ${c.summary}`),
    "",
  ];
  if (flags.length) lines.push("Flags:", ...flags.map((n) => flagLine(flagSpec(n)!)), "");
  lines.push(
    "Examples:",
    ...subs.flatMap((c) => c.examples.slice(0, 1).map((e) => `  ${e}`)),
    "",
    EXIT_CODE_TABLE,
  );
  return `${lines.join("\n")}\n`;
}

function paramLine(p: ParamModel): string {
  const notes = [
    p.in,
    p.required ? "required" : "",
    p.schema.default !== undefined ? `default ${JSON.stringify(p.schema.default)}` : "",
    p.schema.minimum !== undefined ? `min ${p.schema.minimum}` : "",
    p.schema.maximum !== undefined ? `max ${p.schema.maximum}` : "",
  ].filter(Boolean);
  const desc = (p.description || "").split("\n")[0];
  return `  ${p.name} [${paramType(p)}] (${notes.join(", ")})${desc ? `\n      ${desc}` : ""}`;
}

/** An example invocation with the required arguments (and a sample value for each). */
function exampleLine(op: OperationModel): string {
  // The document's example, else an allowed or default value, else a placeholder; never empty.
  const given = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : v);
  const value = (p: ParamModel) =>
    String(given(p.example) ?? given(p.schema.enum?.[0]) ?? given(p.schema.default) ?? p.name.toUpperCase());
  const pairs = (ps: ParamModel[]) => formatArgPairs(ps.map((p) => ({ key: p.name, value: value(p) })));
  const path = op.params.filter((p) => p.in === "path");
  const rest = op.params.filter(
    (p) => p.in !== "path" && (p.required || p.filter !== undefined || p.example !== undefined),
  );
  const parts = [`opcli --operation-id ${op.id}`];
  if (path.length) parts.push(`--url-suffix "${pairs(path)}"`);
  if (rest.length) parts.push(`--endpoint-args "${pairs(rest)}"`);
  if (op.body) parts.push(op.body.required ? "--data @body.json" : "[--data @body.json]");
  return parts.join(" ");
}

/** `opcli --operation-id ID --help`: what the operation does and the arguments it takes. */
export function operationHelp(op: OperationModel): string {
  const lines = [
    `${op.id}: ${op.summary || op.description.split("\n")[0] || "(no summary)"}`,
    "",
    `  ${op.method} ${displayPath(op)}`,
  ];
  if (op.tags.length) lines.push(`  tags: ${op.tags.join(", ")}`);
  lines.push("");
  if (op.params.length)
    lines.push(
      "Parameters (path ones go in --url-suffix, the rest in --endpoint-args):",
      ...op.params.map(paramLine),
      "",
    );
  else lines.push("Parameters: none", "");
  if (op.body) {
    lines.push(
      `Body: ${op.body.schemaName ?? "(inline schema)"}${op.body.required ? " (required)" : ""} [${op.body.mediaTypes.join(", ")}]`,
      `  opcli --operation-id ${op.id} --schema        describes it; --schema-sample prints one`,
      "",
    );
  }
  lines.push("Example:", `  ${exampleLine(op)}`, "");
  return `${lines.join("\n")}`;
}
