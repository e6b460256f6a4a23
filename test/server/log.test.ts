import { describe, expect, it } from "vitest";
import { pinoLogger } from "../../src/server/core/log.js";

// The request log goes through pino: the same JSON lines, the same redaction of credential names.
describe("pinoLogger", () => {
  const capture = () => {
    const lines: string[] = [];
    const log = pinoLogger({ write: (l: string) => lines.push(l) }, () => Date.UTC(2026, 0, 2, 3, 4, 5));
    return { log, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it.each([
    ["access_token", "eyJ.secret"],
    ["client_secret", "s3cret"],
    ["cookie", "session_id=abc"],
    ["Authorization", "Bearer abc"],
    ["sid", "abc-sid"],
    ["password", "hunter2hunter2"],
  ])("redacts %s", (key, value) => {
    const { log, parsed } = capture();
    log.warn("w", { [key]: value, route: "/x/:sid" });
    expect(parsed()).toEqual([
      { ts: "2026-01-02T03:04:05.000Z", level: "warn", msg: "w", [key]: "[redacted]", route: "/x/:sid" },
    ]);
  });

  it("writes one JSON line per call at each level", () => {
    const { log, parsed } = capture();
    log.info("request", { method: "GET", status: 200 });
    log.error("e");
    expect(parsed()).toEqual([
      { ts: "2026-01-02T03:04:05.000Z", level: "info", msg: "request", method: "GET", status: 200 },
      { ts: "2026-01-02T03:04:05.000Z", level: "error", msg: "e" },
    ]);
  });
});
