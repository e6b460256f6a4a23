#!/usr/bin/env node
// A baseline for hot-paths.mjs: node:http doing only what a session check cannot skip on SQLite,
// the store's two reads (the token's revocation check, then the live session by sid) on the
// server's own database, the row rendered as JSON (padded to the server's answer's length) with
// the server's security headers. What is left of the floor here is the platform's ceiling for
// get-by-id with a store read per check; the gap from it to the server is ours.
// Usage: node scripts/bench/ceiling-server.mjs DB SID BYTES
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { SESSION_COLUMNS } from "../../dist/server-lib.js";

const [dbPath, sid, bytes] = process.argv.slice(2);
const db = new Database(dbPath, { readonly: true });
const bySid = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ? AND expires_at > ?`);
// The statement store/sql/grants.ts isTokenRevoked runs for a client's token (one key, no subject).
const revoked = db.prepare("SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti IN (?)) AS revoked");
const headers = {
  "content-type": "application/json",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};
const server = createServer((req, res) => {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  // The server keeps verified claims in memory; a key of a jti's length stands for the jti.
  if (!token || revoked.get(token.slice(-36)).revoked) return res.writeHead(401).end();
  const row = bySid.get(sid, Date.now());
  if (!row) return res.writeHead(404).end();
  const json = JSON.stringify({ ...row, attrs: JSON.parse(row.attrs), props: JSON.parse(row.props) });
  res.writeHead(200, headers).end(json.padEnd(Number(bytes), " "));
});
server.listen(0, "127.0.0.1", () =>
  console.log(JSON.stringify({ listening: `http://127.0.0.1:${server.address().port}` })),
);
