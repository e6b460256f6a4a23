import { describe, expect, it } from "vitest";
import { type LiteFetch, LiteHeaders, LiteRequest, LiteResponse } from "../../src/http/lite.js";
import { NetworkError } from "../../src/http/network-error.js";
import { backoffMs, DEFAULT_RETRY, retryAfterMs, withRetries } from "../../src/http/retry.js";

type Step = number | "network" | { status: number; retryAfter: string };

/** A transport that answers each attempt from a script, and the waits the policy asked for. */
function scripted(steps: Step[]) {
  const waits: number[] = [];
  let attempts = 0;
  const fetch: LiteFetch = async () => {
    const step = steps[Math.min(attempts++, steps.length - 1)]!;
    if (step === "network") throw new NetworkError("connection refused", "ECONNREFUSED");
    const headers = new LiteHeaders();
    const status = typeof step === "number" ? step : step.status;
    if (typeof step === "object") headers.set("retry-after", step.retryAfter);
    return new LiteResponse(Buffer.from(""), status, "", headers);
  };
  const io = { sleep: async (ms: number) => void waits.push(ms), now: () => 0, random: () => 0.5 };
  return { fetch, io, waits, attempts: () => attempts };
}

describe("retry policy", () => {
  it.each([
    // method, answers, retries, attempts made, final status (or "throws")
    ["GET", [503, 503, 200], 2, 3, 200],
    ["GET", [503, 503, 503, 200], 2, 3, 503],
    ["GET", [500, 200], 2, 1, 500],
    ["GET", [404], 2, 1, 404],
    ["GET", [429, 200], 2, 2, 200],
    ["DELETE", [502, 504, 200], 2, 3, 200],
    ["PUT", [408, 200], 2, 2, 200],
    ["POST", [503, 200], 2, 1, 503],
    ["PATCH", [503, 200], 2, 1, 503],
    ["GET", ["network", 200], 2, 2, 200],
    ["GET", ["network", "network", "network"], 2, 3, "throws"],
    ["POST", ["network", 200], 2, 1, "throws"],
    ["GET", [503, 200], 0, 1, 503],
  ] as [string, Step[], number, number, number | "throws"][])(
    "%s %j with %d retries: %d attempts, ends %s",
    async (method, steps, retries, attempts, end) => {
      const s = scripted(steps);
      const fetch = withRetries(s.fetch, { ...DEFAULT_RETRY, retries }, s.io);
      const req = new LiteRequest("http://x/", { method });
      if (end === "throws") await expect(fetch(req)).rejects.toBeInstanceOf(NetworkError);
      else expect((await fetch(req)).status).toBe(end);
      expect(s.attempts()).toBe(attempts);
    },
  );

  it("honours Retry-After in seconds or as a date, capped at 30 s", async () => {
    const s = scripted([{ status: 503, retryAfter: "3" }, { status: 429, retryAfter: "120" }, 200]);
    await withRetries(s.fetch, { ...DEFAULT_RETRY, retries: 2 }, s.io)(new LiteRequest("http://x/"));
    expect(s.waits).toEqual([3000, 30_000]);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  it("backs off exponentially with full jitter, capped", () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => backoffMs(a, p, 1))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
    expect(backoffMs(3, p, 0)).toBe(0);
    expect(backoffMs(3, p, 0.5)).toBe(800);
  });
});
