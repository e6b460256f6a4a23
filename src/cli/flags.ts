import parser from "yargs-parser";
import { UsageError } from "./errors.js";
import { closest } from "./suggest.js";

// The one table of flags: the parser's configuration and --help are both generated from it.

export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  arg?: string;
  alias?: string;
  group: "Operations" | "Connection" | "Authentication" | "Output" | "Scripting" | "General";
  desc: string;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    name: "info",
    type: "string",
    arg: "[TAG]",
    group: "Operations",
    desc: "list tags with operation counts, or the operations of TAG",
  },
  {
    name: "operation-id",
    type: "string",
    arg: "ID",
    group: "Operations",
    desc: "run the operation with this ID",
  },
  {
    name: "endpoint-args",
    type: "string",
    arg: '"k:v,k2:v2"',
    group: "Operations",
    desc: "query/header/cookie (or path) arguments; \\, is a literal comma",
  },
  {
    name: "url-suffix",
    type: "string",
    arg: '"name:value"',
    group: "Operations",
    desc: "path parameters, percent-encoded as path segments",
  },
  { name: "data", type: "string", arg: "JSON|@file|-", group: "Operations", desc: "request body" },
  {
    name: "schema",
    type: "string",
    arg: "[NAME]",
    group: "Operations",
    desc: "print a schema (or, with --operation-id, its body schema)",
  },
  {
    name: "content-type",
    type: "string",
    arg: "TYPE",
    group: "Operations",
    desc: "request media type when the operation offers several",
  },
  {
    name: "no-validate",
    type: "boolean",
    group: "Operations",
    desc: "send --data without checking it against the schema",
  },
  {
    name: "schema-sample",
    type: "boolean",
    group: "Operations",
    desc: "print a sample body for --schema / --operation-id",
  },
  {
    name: "spec",
    type: "string",
    arg: "PATH|URL",
    group: "Connection",
    desc: "OpenAPI document to use (default: the bundled one)",
  },
  {
    name: "host",
    type: "string",
    arg: "URL",
    group: "Connection",
    desc: "server URL; a path in it replaces the document's base path (env OPCLI_HOST)",
  },
  {
    name: "client-id",
    type: "string",
    arg: "ID",
    group: "Authentication",
    desc: "OAuth client id (env OPCLI_CLIENT_ID)",
  },
  {
    name: "client-secret",
    type: "string",
    arg: "SECRET",
    group: "Authentication",
    desc: "OAuth client secret (env OPCLI_CLIENT_SECRET)",
  },
  {
    name: "token-url",
    type: "string",
    arg: "URL",
    group: "Authentication",
    desc: "token endpoint (default: the spec's, else OpenID discovery)",
  },
  {
    name: "access-token",
    type: "string",
    arg: "TOKEN|@file",
    group: "Authentication",
    desc: "use this access token (env OPCLI_ACCESS_TOKEN)",
  },
  {
    name: "profile",
    type: "string",
    arg: "NAME",
    group: "Connection",
    desc: "profile from the config file (env OPCLI_PROFILE)",
  },
  {
    name: "cacert",
    type: "string",
    arg: "PEM",
    group: "Connection",
    desc: "CA bundle to verify the server with",
  },
  { name: "cert", type: "string", arg: "PEM", group: "Connection", desc: "client certificate (mTLS)" },
  { name: "key", type: "string", arg: "PEM", group: "Connection", desc: "client certificate key (mTLS)" },
  {
    name: "insecure",
    type: "boolean",
    group: "Connection",
    desc: "skip TLS certificate verification (warns)",
  },
  {
    name: "scopes",
    type: "string",
    arg: '"S1 S2"',
    group: "Authentication",
    desc: "scopes for auth login / --output-access-token",
  },
  {
    name: "device",
    type: "boolean",
    group: "Authentication",
    desc: "auth login with the device authorization grant",
  },
  {
    name: "output-access-token",
    type: "boolean",
    group: "Authentication",
    desc: "print an access token (obtained or cached) and exit",
  },
  {
    name: "token-format",
    type: "string",
    arg: "raw|header|env|json",
    group: "Authentication",
    desc: "shape of a printed token (default raw)",
  },
  {
    name: "output",
    type: "string",
    arg: "json|ndjson|yaml|table|csv|raw",
    alias: "o",
    group: "Output",
    desc: "output format (default json)",
  },
  {
    name: "query",
    type: "string",
    arg: "JMESPATH",
    group: "Output",
    desc: "JMESPath applied to the response (to each item with --all)",
  },
  {
    name: "columns",
    type: "string",
    arg: "a,b.c",
    group: "Output",
    desc: "columns for table and csv (dot paths allowed)",
  },
  { name: "all", type: "boolean", group: "Scripting", desc: "follow every page and stream every item" },
  {
    name: "max-items",
    type: "string",
    arg: "N",
    group: "Scripting",
    desc: "with --all, stop after N items and print a resume token",
  },
  {
    name: "resume",
    type: "string",
    arg: "TOKEN",
    group: "Scripting",
    desc: "with --all, carry on where --max-items stopped",
  },
  {
    name: "paginate",
    type: "string",
    arg: "start-index|offset|page|cursor|link",
    group: "Scripting",
    desc: "force the paging strategy",
  },
  { name: "page-size", type: "string", arg: "N", group: "Scripting", desc: "items per page for --all" },
  {
    name: "batch",
    type: "string",
    arg: "FILE|-",
    group: "Scripting",
    desc: "run NDJSON lines of operations; one result line each",
  },
  {
    name: "concurrency",
    type: "string",
    arg: "N",
    group: "Scripting",
    desc: "requests in flight for --batch (default 8)",
  },
  {
    name: "curl",
    type: "boolean",
    group: "Scripting",
    desc: "print the equivalent curl command and send nothing",
  },
  {
    name: "show-token",
    type: "boolean",
    group: "Scripting",
    desc: "with --curl, put the real token in the command",
  },
  {
    name: "retries",
    type: "string",
    arg: "N",
    group: "Connection",
    desc: "retries of idempotent requests on 408/429/502/503/504 and network errors (default 2)",
  },
  {
    name: "timeout",
    type: "string",
    arg: "SECONDS",
    group: "Connection",
    desc: "per-request timeout (default 60)",
  },
  {
    name: "verbose",
    type: "boolean",
    alias: "v",
    group: "Output",
    desc: "request line, status and time on stderr",
  },

  {
    name: "debug",
    type: "boolean",
    group: "Output",
    desc: "print requests and responses on stderr (credentials redacted)",
  },
  { name: "help", type: "boolean", alias: "h", group: "General", desc: "show this help" },
  { name: "version", type: "boolean", group: "General", desc: "print the version" },
];

export type ParsedFlags = Record<string, string | boolean | string[] | undefined> & { _: string[] };

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

/** Parses argv; unknown flags and flags given twice are usage errors. */
export function parseFlags(argv: string[]): ParsedFlags {
  const strings = FLAGS.filter((f) => f.type === "string").map((f) => f.name);
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
  const known = new Set([...FLAGS.map((f) => f.name), "_", "$0"]);
  const out: ParsedFlags = { _: parsed.argv._.map(String) };
  for (const [key, value] of Object.entries(parsed.argv)) {
    if (key === "_") continue;
    if (!known.has(key)) {
      const near = closest(
        key,
        FLAGS.map((f) => f.name),
        1,
      );
      throw new UsageError(`unknown flag --${key}${near.length ? ` (did you mean --${near[0]}?)` : ""}`);
    }
    if (Array.isArray(value)) throw new UsageError(`--${key} was given more than once`);
    out[key] = value as string | boolean;
  }
  for (const b of booleans) if (out[b] === false) delete out[b];
  return out;
}
