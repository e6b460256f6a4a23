// The one table of opcli-server's commands and flags: the parser's options and every help page
// are generated from it.

import { JANS_AUTH } from "../api/kit/mounts.js";
import { EXIT_CODES } from "./exit-codes.js";

export interface ServerFlag {
  name: string;
  type: "string" | "boolean";
  arg?: string;
  short?: string;
  default?: string;
  desc: string;
  /** May be given more than once. */
  multiple?: boolean;
}

export interface ServerCommand {
  name: string;
  summary: string;
  flags: readonly string[];
  examples: readonly string[];
}

export const SERVER_FLAGS: readonly ServerFlag[] = [
  { name: "port", type: "string", arg: "N", default: "8080", desc: "plain HTTP port (0: any free port)" },
  { name: "host", type: "string", arg: "ADDR", default: "127.0.0.1", desc: "address to listen on" },
  {
    name: "db",
    type: "string",
    arg: "FILE",
    default: "$XDG_DATA_HOME/opcli-server/server.db",
    desc: "SQLite store",
  },
  {
    name: "store",
    type: "string",
    arg: "URL|FILE",
    default: "--db, or $OPCLI_STORE, or the config's store.url",
    desc: "postgresql://user@host:port/db, or a SQLite file",
  },
  {
    name: "store-pool-size",
    type: "string",
    arg: "N",
    default: "10",
    desc: "PostgreSQL connections per instance",
  },
  {
    name: "store-statement-timeout",
    type: "string",
    arg: "MS",
    default: "5000",
    desc: "PostgreSQL statements running longer are cancelled (503)",
  },
  {
    name: "store-connect-retry",
    type: "string",
    arg: "SECONDS",
    default: "30",
    desc: "keep trying to reach PostgreSQL at start-up this long",
  },
  { name: "config", type: "string", arg: "FILE", desc: "JSON file of lifetimes and limits (and store)" },
  {
    name: "issuer",
    type: "string",
    arg: "URL",
    default: `http://HOST:PORT${JANS_AUTH}`,
    desc: "token issuer",
  },
  { name: "quiet", type: "boolean", desc: "no JSON log lines on stderr" },
  { name: "tls-port", type: "string", arg: "N", desc: "also serve HTTPS on this port" },
  { name: "tls-cert", type: "string", arg: "PEM", desc: "server certificate for --tls-port" },
  { name: "tls-key", type: "string", arg: "PEM", desc: "server key for --tls-port" },
  {
    name: "tls-client-ca",
    type: "string",
    arg: "PEM",
    desc: "require client certificates from this CA (mTLS)",
  },
  { name: "tls-only", type: "boolean", desc: "no plain HTTP listener (needs --tls-port)" },
  {
    name: "grace",
    type: "string",
    arg: "SECONDS",
    default: "10 (shutdownGracePeriod)",
    desc: "after SIGTERM, time for in-flight requests",
  },
  {
    name: "name",
    type: "string",
    arg: "NAME",
    default: "client",
    desc: "client name (its id is NAME-<uuid>)",
  },
  {
    name: "scopes",
    type: "string",
    arg: '"S1 S2"',
    default: "the read-only session scope (session.readonly)",
    desc: "scopes the client may ask for (a person's token also needs them in the person's roles)",
  },
  {
    name: "type",
    type: "string",
    arg: "confidential|public",
    default: "confidential",
    desc: "client type (public: no secret, PKCE)",
  },
  {
    name: "redirect-uri",
    type: "string",
    arg: "URI",
    multiple: true,
    desc: "a redirect URI for the code flow (repeatable)",
  },
  {
    name: "post-logout-redirect-uri",
    type: "string",
    arg: "URI",
    multiple: true,
    desc: "where end_session may send the browser back (repeatable)",
  },
  { name: "userinfo-jwt", type: "boolean", desc: "userinfo answers this client with a signed JWT" },
  {
    name: "backchannel-logout-uri",
    type: "string",
    arg: "URI",
    desc: 'where logout tokens go when a session it signed in to ends (OpenID Back-Channel Logout; "" clears it)',
  },
  {
    name: "backchannel-logout-session-required",
    type: "boolean",
    desc: "its logout tokens must carry sid (they always do)",
  },
  { name: "client-id", type: "string", arg: "ID", desc: "the client's id" },
  { name: "username", type: "string", arg: "NAME", desc: "user name" },
  {
    name: "role",
    type: "string",
    arg: "ROLE",
    multiple: true,
    desc: "a role: admin (old name api-admin) or api-viewer (repeatable)",
  },
  { name: "email", type: "string", arg: "ADDRESS", desc: "the user's email (revoke_session by mail)" },
  {
    name: "realm",
    type: "string",
    arg: "NAME",
    default: "root",
    desc: "the user's realm (a sub-realm the config's realms lists)",
  },
  { name: "password-stdin", type: "boolean", desc: "read the password from stdin" },
  { name: "users", type: "string", arg: "N", default: "5", desc: "demo users to create" },
  { name: "sessions-per-user", type: "string", arg: "N", default: "2", desc: "logins per demo user" },
  { name: "help", type: "boolean", short: "h", desc: "show help" },
];

/** Where the store is, for every command that opens it. */
const STORE = ["db", "store", "store-pool-size", "store-statement-timeout", "store-connect-retry", "config"];

export const SERVER_COMMANDS: readonly ServerCommand[] = [
  {
    name: "serve",
    summary: "run the server (the default command)",
    flags: [
      "port",
      "host",
      ...STORE,
      "issuer",
      "quiet",
      "tls-port",
      "tls-cert",
      "tls-key",
      "tls-client-ca",
      "tls-only",
      "grace",
    ],
    examples: [
      "opcli-server --port 8080",
      "opcli-server --tls-port 8443 --tls-cert server.pem --tls-key server.key",
    ],
  },
  {
    name: "client create",
    summary: "register an OAuth client; prints its id and secret once",
    flags: [
      "name",
      "scopes",
      "type",
      "redirect-uri",
      "post-logout-redirect-uri",
      "userinfo-jwt",
      "backchannel-logout-uri",
      "backchannel-logout-session-required",
      ...STORE,
    ],
    examples: [
      'opcli-server client create --name ci --scopes "https://jans.io/oauth/jans-auth-server/session.readonly"',
      'opcli-server client create --name rp --scopes "openid profile" --redirect-uri https://rp.example/cb',
      "opcli-server client create --name rp --scopes openid --redirect-uri https://rp.example/cb --backchannel-logout-uri https://rp.example/bc",
    ],
  },
  {
    name: "client update",
    summary: "change a client's back-channel logout registration",
    flags: ["client-id", "backchannel-logout-uri", "backchannel-logout-session-required", ...STORE],
    examples: [
      "opcli-server client update --client-id rp-1234 --backchannel-logout-uri https://rp.example/bc",
    ],
  },
  {
    name: "user create",
    summary: "create a user (password of 12+ characters on stdin)",
    flags: ["username", "password-stdin", "role", "email", "realm", ...STORE],
    examples: ["echo 'a-long-password' | opcli-server user create --username alice --password-stdin"],
  },
  {
    name: "user disable",
    summary: "disable a user: they cannot sign in, and their sessions and tokens end now",
    flags: ["username", ...STORE],
    examples: ["opcli-server user disable --username alice"],
  },
  {
    name: "user enable",
    summary: "let a disabled user sign in again",
    flags: ["username", ...STORE],
    examples: ["opcli-server user enable --username alice"],
  },
  {
    name: "user passwd",
    summary: "set a user's password (stdin); their sessions and tokens end",
    flags: ["username", "password-stdin", ...STORE],
    examples: ["echo 'a-new-long-password' | opcli-server user passwd --username alice --password-stdin"],
  },
  {
    name: "user unlock",
    summary: "lift a lockout after failed logins",
    flags: ["username", ...STORE],
    examples: ["opcli-server user unlock --username alice"],
  },
  {
    name: "migrate",
    summary: "apply the store's pending schema migrations and exit (safe while other instances run)",
    flags: [...STORE],
    examples: ["opcli-server migrate --store postgresql://opcli@db.internal:5432/opcli"],
  },
  {
    name: "seed",
    summary:
      "create demo users and log each in through the real login path (random password, in a 0600 file)",
    flags: ["users", "sessions-per-user", "password-stdin", ...STORE],
    examples: ["opcli-server seed --users 20 --sessions-per-user 5"],
  },
];

function flagLine(f: ServerFlag): string {
  const left = `  ${f.short ? `-${f.short}, ` : ""}--${f.name}${f.arg ? ` ${f.arg}` : ""}`;
  const desc = `${f.desc}${f.default ? ` (default: ${f.default})` : ""}`;
  return left.length < 30 ? `${left.padEnd(30)} ${desc}` : `${left}\n${" ".repeat(31)}${desc}`;
}

const flag = (name: string) => SERVER_FLAGS.find((f) => f.name === name)!;

export function commandHelp(cmd: ServerCommand): string {
  return [
    `opcli-server ${cmd.name}: ${cmd.summary}`,
    "",
    "Flags:",
    ...cmd.flags.map((n) => flagLine(flag(n))),
    "",
    "Examples:",
    ...cmd.examples.map((e) => `  ${e}`),
    "",
    EXIT_CODES,
    "",
  ].join("\n");
}

export function globalHelp(): string {
  const width = Math.max(...SERVER_COMMANDS.map((c) => c.name.length));
  return [
    "opcli-server: the reference session server (Janssen config-api and auth endpoints).",
    "",
    "Usage: opcli-server [COMMAND] [FLAGS]     opcli-server COMMAND --help for its flags",
    "",
    "Commands:",
    ...SERVER_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Flags of serve:",
    ...SERVER_COMMANDS[0]!.flags.map((n) => flagLine(flag(n))),
    "",
    EXIT_CODES,
    "",
  ].join("\n");
}

/** node:util parseArgs options from the table. */
export function parseArgsOptions() {
  return Object.fromEntries(
    SERVER_FLAGS.map((f) => [
      f.name,
      { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
    ]),
  ) as Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
}
