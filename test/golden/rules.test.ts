import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { ROOT } from "../helpers/spawn-server.js";

// One small document per OpenAPI rule (test/golden/rules/NN-rule/), with the requests opcli must
// send, byte for byte, written by hand from the specification's text (not recorded from opcli),
// or the exit code and message it must give instead.

const RULES = join(ROOT, "test/golden/rules");

interface Case {
  args: string[];
  env?: Record<string, string>;
  request?: { method: string; url: string; headers: Record<string, string>; body: string };
  exit?: number;
  /** Requests that must reach the server (default: 1 with a request, else 0). */
  sent?: number;
  stdoutContains?: string[];
  stdoutLacks?: string[];
  stdoutJson?: unknown;
  stderrContains?: string[];
}

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEcho();
  echo.respond = () => ({ status: 200, body: "{}", headers: { "content-type": "application/json" } });
});
afterAll(async () => echo?.close());

const rules = readdirSync(RULES)
  .filter((d) => /^\d\d-/.test(d))
  .sort();

describe.each(rules)("%s", (rule) => {
  const dir = join(RULES, rule);
  const doc = readdirSync(dir).find((f) => /^openapi\.(ya?ml|json)$/.test(f))!;
  const cases = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Case[];

  it.each(cases.map((c, i) => [i, c.args.join(" ").slice(0, 90), c] as const))(
    "case %i: %s",
    async (_i, _name, c) => {
      echo.requests.length = 0;
      const r = await runOpcliInProcess(["--spec", join(dir, doc), "--host", echo.url, ...c.args], {
        env: isolatedEnv(c.env ?? {}),
      });
      expect(r.code, r.stderr).toBe(c.exit ?? 0);
      expect(echo.requests).toHaveLength(c.sent ?? (c.request ? 1 : 0));
      if (c.request) {
        const got = echo.requests[0]!;
        const boundary = /boundary=(\S+)/.exec(String(got.headers["content-type"] ?? ""))?.[1];
        const norm = (s: string) => (boundary ? s.replaceAll(boundary, "BOUNDARY") : s);
        const headers = Object.fromEntries(
          Object.keys(c.request.headers).map((k) => [k, norm(String(got.headers[k] ?? "(absent)"))]),
        );
        expect({ method: got.method, url: got.url, headers, body: norm(got.body) }).toEqual(c.request);
        // Nothing credential-like beyond what the case expects.
        for (const k of ["authorization", "cookie", "x-api-key", "x-key"])
          if (!(k in c.request.headers)) expect(got.headers[k], k).toBeUndefined();
      }
      for (const s of c.stdoutContains ?? []) expect(r.stdout).toContain(s);
      for (const s of c.stdoutLacks ?? []) expect(r.stdout).not.toContain(s);
      for (const s of c.stderrContains ?? []) expect(r.stderr).toContain(s);
      if (c.stdoutJson !== undefined) expect(JSON.parse(r.stdout)).toEqual(c.stdoutJson);
      if (c.exit) expect(r.stderr.trim().split("\n"), "one line").toHaveLength(1);
    },
  );
});
