#!/usr/bin/env node
// Fails when the generic layers (src/client, src/cli, src/tui, src/output) name one particular
// API: what the client knows about an API comes from the document's x-opcli-* hints (or an
// overlay on it; README, "Hints in the document"), never from code. Lists every hit.
// Usage: node scripts/check-api-names.mjs [ROOT]   (ROOT defaults to src/)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "src");
const LAYERS = ["client", "cli", "tui", "output"];
// Products, the names their documents use for a filter language, a page's parts or a cursor, and
// the field, parameter and operation names of the session APIs.
const NAMES = [
  "janssen",
  "jans",
  "gluu",
  "oxauth",
  "pingam",
  "ping am",
  "forgerock",
  "crest",
  "fieldValuePair",
  "_queryFilter",
  "totalEntriesCount",
  "entriesCount",
  "pagedResultsCookie",
  // Sessions: the TUI reads these from x-opcli-screen
  // (not startIndex, auth_user, userDn: the generic paging and identifier heuristics use them).
  "sessionAttributes",
  "remote_ip",
  "ipAddress",
  "creationDate",
  "expirationDate",
  "lastActiveAt",
  "idleExpiresAt",
  "sortBy",
  "sortOrder",
  "search-session",
  "revoke-user-session",
  "terminate-session",
  "terminate-user-sessions",
];
const pattern = new RegExp(NAMES.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "i");

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(name)) yield path;
  }
}

const hits = [];
for (const layer of LAYERS) {
  const dir = join(root, layer);
  try {
    statSync(dir);
  } catch {
    continue;
  }
  for (const file of files(dir)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        const m = pattern.exec(line);
        if (m) hits.push(`${relative(process.cwd(), file)}:${i + 1}: "${m[0]}": ${line.trim()}`);
      });
  }
}
if (hits.length) {
  console.error(
    `API names in the generic layers (${LAYERS.join(", ")}); put them in the document's x-opcli-* hints:`,
  );
  for (const h of hits) console.error(`  ${h}`);
  process.exit(1);
}
console.log(`no API names in src/{${LAYERS.join(",")}} (checked: ${NAMES.join(", ")})`);
