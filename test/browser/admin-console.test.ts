import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminToken, type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";
import { launch, loginFrom, seriousViolations, shot } from "./helpers.js";

// The admin console in real headless Chromium, against a spawned server: an admin signs in, sees
// sessions made by real sign-ins from four addresses (so the IP-spread alarm shows), filters,
// terminates one (that user's next request in another browser gets 401 and the login page), uses
// Logout All Devices, and reads the audit. Every screen is checked with axe-core and saved.

const PASSWORD = "browser-test-password";
let s: RunningServer;
let browser: Browser;
const ids: Record<string, string> = {};

function createUser(username: string, roles: string[] = []): void {
  const out = execFileSync(
    process.execPath,
    [
      SERVER_BIN,
      "user",
      "create",
      "--username",
      username,
      "--password-stdin",
      "--db",
      s.db,
      ...roles.flatMap((r) => ["--role", r]),
    ],
    { input: `${PASSWORD}\n` },
  );
  ids[username] = (JSON.parse(out.toString()) as { id: string }).id;
}

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0 });
  createUser("olivia", ["api-admin"]);
  createUser("victor");
  createUser("wendy");
  for (const ip of ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"])
    expect(await loginFrom(s.url, "victor", PASSWORD, ip)).toBe(200);
  expect(await loginFrom(s.url, "wendy", PASSWORD, "127.0.0.6")).toBe(200);
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

async function accessible(page: Page, name: string): Promise<void> {
  await shot(page, name);
  const v = await seriousViolations(page);
  expect(
    v.map((x) => `${x.id}: ${x.help} at ${x.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    name,
  ).toEqual([]);
}

async function signIn(ctx: BrowserContext): Promise<Page> {
  ctx.setDefaultTimeout(8000);
  const page = await ctx.newPage();
  await page.goto(`${s.url}/admin/login`);
  await page.getByLabel("User name").fill("olivia");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/admin/sessions");
  return page;
}

/** Identifier and time cells whose text takes more than one line. */
function wrappedIdentifiers(page: Page): Promise<string[]> {
  return page.locator("td.nowrap").evaluateAll((tds) =>
    tds
      .filter((td) => getComputedStyle(td).display !== "none")
      .filter((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        return lines.size > 1;
      })
      .map((td) => td.textContent ?? ""),
  );
}

async function liveSessionsOf(userId: string): Promise<number> {
  const token = await adminToken(s);
  const r = await fetch(`${s.url}/api/admin/sessions?userId=${userId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await r.json()) as { total: number }).total;
}

describe("the admin console in Chromium", () => {
  it("sign in, sessions with the alarm, filter, terminate (the user gets 401), logout all devices, audit", async () => {
    const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    adminCtx.setDefaultTimeout(8000);
    const admin = await adminCtx.newPage();

    // Signed out, the console sends you to its own sign-in page.
    await admin.goto(`${s.url}/admin`);
    expect(new URL(admin.url()).pathname).toBe("/admin/login");
    await accessible(admin, "01-admin-sign-in");
    await admin.getByLabel("User name").fill("olivia");
    await admin.getByLabel("Password").fill(PASSWORD);
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.waitForURL("**/admin/sessions");

    // Every live session, the six columns, and the IP-spread banner for victor.
    const headers = (await admin.locator("thead th").allTextContents()).map((h) =>
      h.replace(/[↑↓↕]/g, "").trim(),
    );
    expect(headers.slice(0, 6)).toEqual([
      "User",
      "IP Address",
      "User Agent",
      "Created",
      "Last Active",
      "Expires",
    ]);
    // Victor's four and wendy's one, and the console's own session (olivia's): it is a session too.
    expect(await admin.locator("tbody tr").count()).toBe(6);
    expect(await admin.locator("tbody tr").filter({ hasText: "olivia" }).count()).toBe(1);
    await expect.poll(() => admin.locator(".banner").textContent()).toContain("victor");
    expect(await admin.locator("tbody tr time").first().getAttribute("title")).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    await accessible(admin, "02-sessions-1280");

    // The end user, signed in to the protected app in a browser of their own.
    const userCtx = await browser.newContext();
    userCtx.setDefaultTimeout(8000);
    const user = await userCtx.newPage();
    const first = await user.goto(`${s.url}/jans-auth/app`);
    expect(first?.status()).toBe(401);
    await user.getByLabel("User name").fill("victor");
    await user.getByLabel("Password").fill(PASSWORD);
    await user.getByRole("button", { name: "Sign in" }).click();
    await user.waitForURL("**/jans-auth/app");
    expect(await user.locator("#who").textContent()).toBe("Signed in as victor.");

    // Filter by user: victor's five sessions, among them the browser's (127.0.0.1).
    await admin.getByLabel("User", { exact: true }).fill("victor");
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL(/\/admin\/sessions\?user=victor/);
    const rows = admin.locator("tbody tr");
    expect(await rows.count()).toBe(5);
    expect(await admin.locator("tbody td:first-child").allTextContents()).toEqual(Array(5).fill("victor"));
    await accessible(admin, "03-sessions-filtered");

    // Terminate the browser's session, after confirming.
    const mine = rows.filter({ hasText: "127.0.0.1" });
    expect(await mine.count()).toBe(1);
    // One compact menu a row, closed until asked for (no rows of red buttons).
    expect(await admin.locator("tbody .button.danger, tbody button.danger").count()).toBe(0);
    expect(await mine.getByRole("link", { name: "Terminate" }).isVisible()).toBe(false);
    await mine.getByLabel("Actions for the session of victor from 127.0.0.1").click();
    await shot(admin, "03b-row-menu-1280");
    await mine.getByRole("link", { name: "Terminate" }).click();
    await expect
      .poll(() => admin.locator("dialog h2").textContent())
      .toContain("Terminate this session of victor?");
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe("Terminate 1 session");
    // Every time in the confirmation is relative, the exact one on hover: created, last active,
    // expires (the earlier of idle and absolute) and the absolute limit.
    const times = admin.locator("dialog dd time");
    expect(await times.count()).toBe(4);
    await expect.poll(() => admin.locator("dialog dt").allTextContents()).toContain("Absolute limit");
    for (const t of await times.all()) {
      expect(await t.textContent()).toMatch(/ago|^in |just now/);
      expect(await t.getAttribute("title")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    }
    await accessible(admin, "04-terminate-confirm");
    await admin.getByRole("button", { name: "Terminate 1 session" }).click();
    // Back on the filtered list, with a notice naming who and how many.
    await admin.waitForURL(/\/admin\/sessions\?user=victor.*notice=terminated/);
    expect(await admin.getByLabel("User", { exact: true }).inputValue()).toBe("victor");
    expect(await admin.locator(".notice").textContent()).toBe("Terminated 1 session of victor.");
    expect(await admin.evaluate(() => document.activeElement?.className)).toBe("notice");
    const victorHere = admin
      .locator("tbody tr")
      .filter({ hasText: "127.0.0.1" })
      .filter({ hasText: "victor" });
    expect(await victorHere.count()).toBe(0);

    // Termination is immediate: the user's next request is a 401 and the login page.
    const after = await user.reload();
    expect(after?.status()).toBe(401);
    expect(await user.getByRole("button", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await user.locator(".alert").textContent()).toContain("session has ended");
    await shot(user, "05-user-after-terminate");

    // Logout All Devices, confirmed; checked through the API.
    expect(await liveSessionsOf(ids.victor!)).toBe(4);
    await admin.getByRole("link", { name: "Users" }).click();
    await admin.waitForURL("**/admin/users");
    await accessible(admin, "06-users");
    await admin.getByLabel("Actions for victor").click();
    await admin.getByRole("link", { name: "Logout all devices of victor" }).click();
    await accessible(admin, "07-logout-all-confirm");
    await admin.getByRole("button", { name: "Logout all devices (4 sessions)" }).click();
    await admin.waitForURL("**/admin/users?notice=logout-all*");
    expect(await admin.locator(".notice").textContent()).toBe(
      "Logged victor out of every device: 4 sessions terminated.",
    );
    expect(await liveSessionsOf(ids.victor!)).toBe(0);
    expect(await liveSessionsOf(ids.wendy!)).toBe(1);
    expect(await admin.locator('tr[data-user="victor"] td').nth(2).textContent()).toBe("0");

    // The alarm, and the audit of victor's sign-ins and terminations.
    await admin.getByRole("link", { name: "Alarms" }).click();
    expect(await admin.locator("tbody tr").first().textContent()).toContain("victor");
    await accessible(admin, "08-alarms");
    await admin.goto(`${s.url}/admin/audit?user=victor`);
    const events = await admin.locator("tbody td:nth-child(2)").allTextContents();
    expect(events.filter((e) => e === "Login")).toHaveLength(5);
    expect(events.filter((e) => e === "Terminated")).toHaveLength(5);
    expect(await admin.locator("tbody").textContent()).toContain("olivia (admin)");
    await accessible(admin, "09-audit");
    // The audit's filter form: user, event type, time range.
    await admin.goto(`${s.url}/admin/audit`);
    await admin.getByLabel("User", { exact: true }).fill("victor");
    await admin.getByLabel("Event", { exact: true }).selectOption({ label: "Terminated" });
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL(/type=revoked/);
    const terminated = await admin.locator("tbody td:nth-child(2)").allTextContents();
    expect(terminated).toEqual(Array(5).fill("Terminated"));
    await accessible(admin, "09b-audit-filtered");
    await admin.getByLabel("From (UTC)").fill("2099-01-01T00:00");
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL(/from=2099/);
    expect(await admin.locator(".empty").textContent()).toBe("No sign-in events.");
    await userCtx.close();
    await adminCtx.close();
  });

  it("at 1280 px: identifiers never wrap, user agents are short (full on hover), sort and page size stay in the URL, pagers above and below", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(ctx);
    for (const who of ["xavier.lindqvist-00000000001", "yolanda"]) {
      createUser(who);
      for (const ip of ["127.0.0.7", "127.0.0.8"])
        expect(await loginFrom(s.url, who, PASSWORD, ip)).toBe(200);
    }
    await page.goto(`${s.url}/admin/sessions`);
    expect(await wrappedIdentifiers(page)).toEqual([]);
    const ua = page
      .locator("tbody tr")
      .filter({ hasText: "olivia" })
      .first()
      .locator("td:nth-child(3) span[title]");
    expect((await ua.getAttribute("title"))!.length).toBeGreaterThan((await ua.textContent())!.length);
    await page.getByRole("link", { name: /Last Active/ }).click();
    await page.waitForURL(/sort=lastActive&order=asc/);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain("Last Active");
    await page.locator("#per-page-top").selectOption("10");
    await page.locator(".pager-top").getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/limit=10/);
    expect(page.url()).toContain("sort=lastActive");
    expect(await page.locator(".pager-top").textContent()).toContain("of");
    expect(await page.locator(".pager-bottom").textContent()).toContain("of");
    await accessible(page, "11-sessions-sorted-1280");
    await ctx.close();
  });

  it("at 390 px: rows are cards (user, address, last active, expiry, action), Terminate visible without sideways scrolling", async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await signIn(ctx);
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll("body *"))
        .filter((e) => e.getBoundingClientRect().right > 391)
        .map((e) => `${e.tagName}.${e.className}`),
    );
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await wrappedIdentifiers(page)).toEqual([]);
    const row = page.locator("tbody tr").first();
    const shown = await row
      .locator("td")
      .evaluateAll((tds) =>
        tds.filter((td) => getComputedStyle(td).display !== "none").map((td) => td.dataset.label ?? "action"),
      );
    expect(shown).toEqual(["User", "IP Address", "Last Active", "Expires", "action"]);
    expect((await row.boundingBox())!.height).toBeLessThan(130);
    await accessible(page, "12-sessions-390");
    await row.locator("summary").click();
    const terminate = row.getByRole("link", { name: "Terminate" });
    expect(await terminate.isVisible()).toBe(true);
    const box = (await terminate.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "13-row-menu-390");
    await terminate.click();
    await page.waitForURL(/terminate/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await accessible(page, "14-terminate-confirm-390");
    for (const [path, name] of [
      ["users", "15-users-390"],
      ["alarms", "16-alarms-390"],
      ["audit", "17-audit-390"],
    ] as const) {
      await page.goto(`${s.url}/admin/${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      expect(await wrappedIdentifiers(page), path).toEqual([]);
      await accessible(page, name);
    }
    await page.goto(`${s.url}/admin/users`);
    await page.locator("tbody tr summary").first().click();
    await shot(page, "18-users-menu-390");
    await ctx.close();
    const out = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const login = await out.newPage();
    await login.goto(`${s.url}/admin/login`);
    await accessible(login, "19-sign-in-390");
    await out.close();
  });

  it("is usable at 375 px: nothing but the table scrolls sideways, and the keyboard starts at the skip link", async () => {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${s.url}/admin/login`);
    await page.getByLabel("User name").fill("olivia");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL("**/admin/sessions");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await accessible(page, "10-sessions-375");
    await ctx.close();
  });

  it("refuses a cross-site form post and a non-admin's sign-in", async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${s.url}/admin/login`);
    await page.getByLabel("User name").fill("wendy");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.locator(".error").textContent()).toContain("may not use the admin console");
    const headers = await (await fetch(`${s.url}/admin/login`)).headers;
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(headers.get("content-security-policy")).not.toContain("script-src");
    await ctx.close();
  });
});
