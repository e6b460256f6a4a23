import parser from "yargs-parser";
import { UsageError } from "../platform/errors.js";
import { closest } from "../platform/suggest.js";
import { FLAGS, type FlagSpec } from "./table.js";

/** Parsed command line: positional words and flags, read through typed accessors. */
export class ParsedArgs {
  constructor(
    readonly positionals: string[],
    private readonly values: Record<string, string | boolean | number | string[]>,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }
  str(name: string): string | undefined {
    const v = this.values[name];
    return v === undefined ? undefined : String(v);
  }
  /** Every value of a repeatable flag, in the order given. */
  list(name: string): string[] {
    const v = this.values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
  }
  bool(name: string): boolean {
    return this.values[name] === true;
  }
  int(name: string): number | undefined {
    const v = this.values[name];
    return typeof v === "number" ? v : undefined;
  }
  /** The flags given, for messages and the curl export. */
  given(): string[] {
    return Object.keys(this.values);
  }
}

/** `--data -` means stdin; yargs-parser would read a lone "-" as a positional. */
function joinDashValues(argv: string[], strings: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--") && strings.has(a.slice(2)) && argv[i + 1] === "-") {
      out.push(`${a}=-`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** One integer parser for every int flag: digits only, at least the flag's minimum. */
export function parseIntFlag(spec: Pick<FlagSpec, "name" | "min">, raw: string): number {
  const min = spec.min ?? 0;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < min)
    throw new UsageError(`--${spec.name} must be an integer of at least ${min}, not "${raw}"`);
  return Number(raw);
}

function checkValue(spec: FlagSpec, raw: string | boolean): string | boolean | number {
  if (spec.type === "int") return parseIntFlag(spec, String(raw));
  if (spec.values && !spec.values.includes(String(raw)))
    throw new UsageError(`--${spec.name} must be one of ${spec.values.join(", ")}, not "${raw}"`);
  return raw;
}

function unknownFlag(key: string): UsageError {
  // A single letter is a short flag: only its other case is close (-V: -v), never a long name.
  if (key.length === 1) {
    const other = FLAGS.find(
      (f) => f.alias && f.alias !== key && f.alias.toLowerCase() === key.toLowerCase(),
    );
    return new UsageError(
      `unknown flag -${key}${other ? ` (did you mean -${other.alias}, --${other.name}?)` : ""}`,
    );
  }
  const near = closest(
    key,
    FLAGS.map((f) => f.name),
    1,
  );
  return new UsageError(`unknown flag --${key}${near.length ? ` (did you mean --${near[0]}?)` : ""}`);
}

/** Parses argv against the flag table; unknown flags and flags given twice are usage errors. */
export function parseArgv(argv: string[]): ParsedArgs {
  const strings = FLAGS.filter((f) => f.type !== "boolean").map((f) => f.name);
  const booleans = FLAGS.filter((f) => f.type === "boolean").map((f) => f.name);
  const alias = Object.fromEntries(FLAGS.filter((f) => f.alias).map((f) => [f.name, [f.alias!]]));
  const parsed = parser.detailed(joinDashValues(argv, new Set(strings)), {
    string: strings,
    boolean: booleans,
    alias,
    configuration: {
      "camel-case-expansion": false,
      "dot-notation": false,
      "parse-numbers": false,
      "parse-positional-numbers": false,
      "duplicate-arguments-array": true,
      "strip-aliased": true,
      "boolean-negation": false,
    },
  });
  if (parsed.error) throw new UsageError(parsed.error.message);
  const values: Record<string, string | boolean | number | string[]> = {};
  for (const [key, value] of Object.entries(parsed.argv)) {
    if (key === "_" || key === "$0") continue;
    const spec = FLAGS.find((f) => f.name === key);
    if (!spec) throw unknownFlag(key);
    if (spec.repeatable) {
      values[key] = [value].flat().map(String);
      continue;
    }
    if (Array.isArray(value)) throw new UsageError(`--${key} was given more than once`);
    if (value === false) continue;
    values[key] = checkValue(spec, value as string | boolean);
  }
  return new ParsedArgs(parsed.argv._.map(String), values);
}
