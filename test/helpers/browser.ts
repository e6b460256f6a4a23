import { createHash, randomBytes } from "node:crypto";
import type { Hono } from "hono";

/**
 * A browser over an in-process app: a cookie jar (per path prefix, roughly), redirects followed
 * by hand so tests can look at each hop, and form posts that carry the page's CSRF token.
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: Hono,
    private readonly env: Record<string, unknown> = {},
  ) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {};
  }

  async get(url: string): Promise<Response> {
    const res = await this.app.request(url, { headers: this.header() }, this.env);
    this.remember(res);
    return res;
  }

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    const res = await this.app.request(
      url,
      {
        method: "POST",
        headers: { ...this.header(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      },
      this.env,
    );
    this.remember(res);
    return res;
  }

  /** Follows same-origin redirects until one leaves the app (an RP's redirect URI) or a page answers. */
  async follow(res: Response, max = 5): Promise<Response | URL> {
    for (let i = 0; i < max; i++) {
      const to = res.headers.get("location");
      if (!to || res.status < 300 || res.status >= 400) return res;
      const url = new URL(to, "http://localhost");
      if (url.origin !== "http://localhost") return url;
      res = await this.get(`${url.pathname}${url.search}`);
    }
    throw new Error("too many redirects");
  }

  /** Signs in on the login page it was sent to (its CSRF token included); returns where that leads. */
  async signIn(loginPage: Response, username: string, password: string): Promise<Response | URL> {
    const html = await loginPage.text();
    const token = /name="csrf_token" value="([^"]*)"/.exec(html)?.[1] ?? "";
    const next = /name="continue" value="([^"]*)"/.exec(html)?.[1];
    const fields: Record<string, string> = { csrf_token: token, username, password };
    if (next) fields.continue = next.replace(/&amp;/g, "&");
    return this.follow(await this.post("/jans-auth/login", fields));
  }
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}
