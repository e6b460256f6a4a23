import { EXIT_CODE_TABLE } from "./errors.js";
import { FLAGS } from "./flags.js";

export function helpText(version: string): string {
  const groups = [...new Set(FLAGS.map((f) => f.group))];
  const lines = [
    `opcli ${version}: run any operation of an OpenAPI document, Janssen config-cli style.`,
    "",
    "Usage:",
    "  opcli --info [TAG]",
    '  opcli --operation-id ID [--url-suffix "name:value"] [--endpoint-args "k:v,..."] [--data JSON|@file|-]',
    "  opcli --schema NAME | --operation-id ID --schema [--schema-sample]",
    "  opcli --output-access-token [--token-format raw|header|env|json]",
    "  opcli auth login [--device] | auth logout | auth status | auth token",
    "  opcli config path | list | get KEY | set KEY VALUE   [--profile NAME]",
    "  opcli --operation-id ID --all [-o ndjson|csv|...] | --batch FILE|- | --curl",
    "  opcli completion bash|zsh|fish",
    "",
  ];
  for (const g of groups) {
    lines.push(`${g}:`);
    for (const f of FLAGS.filter((x) => x.group === g)) {
      const left = `  ${f.alias ? `-${f.alias}, ` : ""}--${f.name}${f.arg ? ` ${f.arg}` : ""}`;
      // A long flag puts its description on the next line rather than breaking the column.
      lines.push(left.length < 38 ? `${left.padEnd(38)} ${f.desc}` : `${left}\n${" ".repeat(39)}${f.desc}`);
    }
    lines.push("");
  }
  lines.push(
    "With no host configured, opcli drives the embedded reference server over its local store.",
    "",
    EXIT_CODE_TABLE,
  );
  return `${lines.join("\n")}\n`;
}
