import { STRATEGIES } from "../client/strategies.js";
import { FORMATS } from "../output/formats.js";

// The one table of opcli's commands and flags. The parser's configuration, the global help,
// each command's help and shell completion are all generated from it.

export type FlagGroup = "Operations" | "Connection" | "Authentication" | "Output" | "Scripting" | "General";

export interface FlagSpec {
  name: string;
  type: "string" | "boolean" | "int";
  arg?: string;
  alias?: string;
  group: FlagGroup;
  desc: string;
  /** Shown in help: the value used when the flag is absent. */
  default?: string;
  /** Smallest value of an int flag. */
  min?: number;
  /** The values a string flag accepts (checked when parsed, offered by completion). */
  values?: readonly string[];
  /** The environment variable that stands in for the flag. */
  env?: string;
  /** A string flag that may be given more than once (each value kept, in order). */
  repeatable?: true;
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
    name: "accept",
    type: "string",
    arg: "TYPE",
    group: "Operations",
    desc: "the Accept header (default: the media types the operation's responses declare)",
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
    desc: "OpenAPI document to use",
    default: "the bundled one",
    env: "OPCLI_SPEC",
  },
  {
    name: "overlay",
    type: "string",
    arg: "FILE",
    group: "Connection",
    desc: "an OpenAPI Overlay (1.0) to apply to --spec's document, e.g. to add x-opcli hints; repeatable",
    repeatable: true,
  },
  {
    name: "host",
    type: "string",
    arg: "URL",
    group: "Connection",
    desc: "server URL; a path in it replaces the document's base path",
    env: "OPCLI_HOST",
  },
  {
    name: "profile",
    type: "string",
    arg: "NAME",
    group: "Connection",
    desc: "profile from the config file",
    env: "OPCLI_PROFILE",
  },
  {
    name: "credentials",
    type: "string",
    arg: "FILE",
    group: "Connection",
    desc: "config init: the server's admin-client.json (client_id and client_secret)",
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
    name: "retries",
    type: "int",
    min: 0,
    arg: "N",
    group: "Connection",
    desc: "retries of idempotent requests on 408/429/502/503/504 and network errors",
    default: "2",
  },
  {
    name: "timeout",
    type: "int",
    min: 1,
    arg: "SECONDS",
    group: "Connection",
    desc: "per-request timeout: connecting, sending and the whole answer",
    default: "60",
  },
  {
    name: "max-response-mb",
    type: "int",
    min: 1,
    arg: "MB",
    group: "Connection",
    desc: "a larger answer is refused (exit 7) before it fills memory",
    default: "100",
  },
  {
    name: "client-id",
    type: "string",
    arg: "ID",
    group: "Authentication",
    desc: "OAuth client id",
    env: "OPCLI_CLIENT_ID",
  },
  {
    name: "client-secret",
    type: "string",
    arg: "SECRET",
    group: "Authentication",
    desc: "OAuth client secret",
    env: "OPCLI_CLIENT_SECRET",
  },
  {
    name: "token-url",
    type: "string",
    arg: "URL",
    group: "Authentication",
    desc: "token endpoint",
    default: "the spec's, else OpenID discovery",
  },
  {
    name: "access-token",
    type: "string",
    arg: "TOKEN|@file",
    group: "Authentication",
    desc: "use this access token",
    env: "OPCLI_ACCESS_TOKEN",
  },
  {
    name: "scopes",
    type: "string",
    arg: '"S1 S2"',
    group: "Authentication",
    desc: "scopes for auth login / --output-access-token",
    default: "every scope the document declares",
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
    arg: "FORMAT",
    group: "Authentication",
    desc: "shape of a printed token",
    default: "raw",
    values: ["raw", "header", "env", "json"],
  },
  {
    name: "output",
    type: "string",
    arg: "FORMAT",
    alias: "o",
    group: "Output",
    desc: "output format",
    default: "json",
    values: FORMATS,
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
  { name: "all", type: "boolean", group: "Scripting", desc: "follow every page and stream every item" },
  {
    name: "max-items",
    type: "int",
    min: 1,
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
    arg: "STRATEGY",
    group: "Scripting",
    desc: "force the paging strategy",
    values: STRATEGIES,
  },
  {
    name: "page-size",
    type: "int",
    min: 1,
    arg: "N",
    group: "Scripting",
    desc: "items per page for --all",
    default: "the size parameter's maximum, else 100",
  },
  {
    name: "batch",
    type: "string",
    arg: "FILE|-",
    group: "Scripting",
    desc: "run NDJSON lines of operations; one result line each",
  },
  {
    name: "concurrency",
    type: "int",
    min: 1,
    arg: "N",
    group: "Scripting",
    desc: "requests in flight for --batch",
    default: "8",
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
    name: "show-secrets",
    type: "boolean",
    group: "Scripting",
    desc: "with --curl, show passwords and secrets of the request (else [redacted])",
  },
  {
    name: "dry-run",
    type: "boolean",
    group: "Scripting",
    desc: "print what would be sent (and, for a delete, what it would affect); change nothing",
  },
  {
    name: "readonly",
    type: "boolean",
    group: "General",
    desc: "opcli tui: hide and refuse every key that changes the server",
  },
  {
    name: "yes",
    alias: "y",
    type: "boolean",
    group: "Scripting",
    desc: "do not ask before a user-wide or bulk delete",
  },
  {
    name: "ignore-not-found",
    type: "boolean",
    group: "Scripting",
    desc: "a delete of something already gone exits 0",
  },
  {
    name: "no-input",
    type: "boolean",
    group: "General",
    desc: "never prompt; flows that need a person fail at once (exit 4)",
    env: "OPCLI_NO_INPUT",
  },
  {
    name: "help",
    type: "boolean",
    alias: "h",
    group: "General",
    desc: "show help (of a command, or with --operation-id of that operation)",
  },
  { name: "version", type: "boolean", group: "General", desc: "print the version" },
];

/** Every environment variable opcli reads, for --help and the README. */
export const ENVIRONMENT: readonly [string, string][] = [
  ["OPCLI_HOST", "the API's URL (as --host)"],
  ["OPCLI_SPEC", "the OpenAPI document (as --spec)"],
  ["OPCLI_PROFILE", "the config file's profile to use (as --profile)"],
  ["OPCLI_CONFIG", "the config file (default $XDG_CONFIG_HOME/opcli/config.json)"],
  ["OPCLI_ACCESS_TOKEN", "a token to send as it is, never cached (as --access-token)"],
  ["OPCLI_CLIENT_ID", "the OAuth client (as --client-id)"],
  ["OPCLI_CLIENT_SECRET", "its secret (as --client-secret, without putting it in argv)"],
  ["OPCLI_TOKEN_STORE", "keychain, file or none (default: the keychain, else the file)"],
  ["OPCLI_NO_CACHE", "1: compile the document anew instead of using the model cache"],
  ["OPCLI_NO_INPUT", "1: never prompt (as --no-input)"],
  ["OPCLI_SQLITE_DRIVER", "the embedded default's SQLite driver: node:sqlite or better-sqlite3"],
  ["NO_COLOR, CLICOLOR, CLICOLOR_FORCE, FORCE_COLOR", "colour off, off (0), forced"],
  ["XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME", "where config, caches and the embedded store live"],
];

const CONNECTION = [
  "spec",
  "overlay",
  "host",
  "profile",
  "cacert",
  "cert",
  "key",
  "insecure",
  "retries",
  "timeout",
  "max-response-mb",
];
const AUTH = ["client-id", "client-secret", "token-url", "access-token", "scopes"];

export interface CommandSpec {
  /** The words that select it: "auth login", "config set". */
  name: string;
  summary: string;
  /** Positional arguments after the name, for help. */
  args?: string;
  /** Flags that apply, for help and completion. */
  flags: readonly string[];
  examples: readonly string[];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "auth login",
    summary: "obtain a token and cache it (client credentials, or --device for a person)",
    flags: [...CONNECTION, ...AUTH, "device"],
    examples: [
      "opcli auth login --client-id ID --client-secret SECRET",
      "opcli auth login --device --client-id ID",
    ],
  },
  {
    name: "auth logout",
    summary: "drop the cached tokens of the client and revoke them at the server",
    flags: [...CONNECTION, ...AUTH],
    examples: ["opcli auth logout --profile prod"],
  },
  {
    name: "auth status",
    summary: "host, client, scopes, expiry and where the token lives (never the token)",
    flags: [...CONNECTION, ...AUTH],
    examples: ["opcli auth status"],
  },
  {
    name: "auth token",
    summary: "print an access token and a newline",
    flags: [...CONNECTION, ...AUTH, "token-format"],
    examples: ['curl -H "$(opcli auth token --token-format header)" ...'],
  },
  {
    name: "config path",
    summary: "print where the config file is",
    flags: [],
    examples: ["opcli config path"],
  },
  {
    name: "config list",
    summary: "print the config file (secrets hidden)",
    flags: [],
    examples: ["opcli config list"],
  },
  {
    name: "config get",
    summary: "print one setting",
    args: "KEY",
    flags: ["profile"],
    examples: ["opcli config get host --profile prod"],
  },
  {
    name: "config set",
    summary: "change one setting (a clientSecret goes to the OS keychain when there is one)",
    args: "KEY VALUE",
    flags: ["profile"],
    examples: [
      "opcli config set host https://idp.example.com --profile prod",
      "opcli config set clientSecret - --profile prod   # from stdin, or a hidden prompt",
    ],
  },
  {
    name: "config init",
    summary: "make a profile from a running server and its admin-client.json, and check it gets a token",
    flags: ["profile", "host", "credentials"],
    examples: [
      "opcli config init --profile local --host http://127.0.0.1:8080 --credentials ~/.local/share/opcli-server/admin-client.json",
    ],
  },
  {
    name: "config unset",
    summary: "remove one setting",
    args: "KEY",
    flags: ["profile"],
    examples: ["opcli config unset tokenUrl --profile prod"],
  },
  {
    name: "tui",
    summary: "search, inspect and delete sessions in a terminal UI",
    flags: [...CONNECTION, ...AUTH, "readonly"],
    examples: [
      "opcli tui",
      "opcli tui --profile prod --readonly",
      "opcli tui --spec config-api.yaml --host https://idp.example.com/config-api",
    ],
  },
  {
    name: "completion",
    summary: "print a shell completion script",
    args: "bash|zsh|fish",
    flags: [],
    examples: ['eval "$(opcli completion bash)"', "opcli completion fish | source"],
  },
];

/** Command groups and the words that follow them (for completion and "did you mean"). */
export function subcommandsOf(group: string): string[] {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
}

export const TOP_COMMANDS: readonly string[] = [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]!))];

/** Positional values some commands take (completion). */
export const COMMAND_ARGS: Readonly<Record<string, readonly string[]>> = {
  completion: ["bash", "zsh", "fish"],
};

export function flagSpec(name: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.name === name);
}
