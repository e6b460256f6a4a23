import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "../../../helpers/server-harness.js";

// The end user's pages on hono/jsx: whatever a person or a relying party puts in a field comes
// back as that field's value, escaped, never as markup.

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

/** The value attribute of the named input, decoded as a browser would. */
function fieldValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  const entities: Record<string, string> = {
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#39;": "'",
  };
  return m?.[1]?.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]!);
}

const markup = fc.stringMatching(/^[a-z<>"'&= /]{1,16}$/);

describe("the end user's pages", () => {
  it("the device page gives a typed code back as the field's value, escaped", async () => {
    await fc.assert(
      fc.asyncProperty(markup, async (code) => {
        const html = await (
          await h.app.request(`/jans-auth/device?user_code=${encodeURIComponent(code)}`)
        ).text();
        expect(html.startsWith("<!doctype html><html")).toBe(true);
        expect(fieldValue(html, "user_code")).toBe(code.slice(0, 16));
        expect(html).not.toMatch(/<[a-z]*"/);
        expect((html.match(/<input/g) ?? []).length).toBe(4);
      }),
      { numRuns: 60 },
    );
  });

  it("the sign-out confirmation carries a relying party's state back, escaped", async () => {
    await fc.assert(
      fc.asyncProperty(markup, async (state) => {
        const res = await h.app.request(`/jans-auth/restv1/end_session?state=${encodeURIComponent(state)}`);
        const html = await res.text();
        expect(res.status).toBe(200);
        expect(fieldValue(html, "state")).toBe(state);
        expect(html).toContain("<p>Sign out of this browser&#39;s session?</p>");
      }),
      { numRuns: 60 },
    );
  });

  it("a refused sign-in shows the name typed, escaped, with the alert", async () => {
    const page = await h.app.request("/jans-auth/login");
    const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? "";
    const token = fieldValue(await page.text(), "csrf_token") ?? "";
    const username = `<img src=x onerror=alert(1)>"`;
    const res = await h.app.request("/jans-auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: "http://localhost" },
      body: new URLSearchParams({ csrf_token: token, username, password: "wrong-password-1" }),
    });
    const html = await res.text();
    expect(res.status).toBe(401);
    expect(html).toContain('role="alert"');
    expect(fieldValue(html, "username")).toBe(username);
    expect(html).not.toContain("<img");
  });
});
