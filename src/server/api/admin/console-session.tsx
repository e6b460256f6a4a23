import { getCookie } from "hono/cookie";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ServerCore } from "../../core/core.js";
import { ADMIN_READ, ADMIN_WRITE, satisfies, scopesOfRoles } from "../../core/oauth/scopes.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { PASSWORD_ACR } from "../jans-auth/browser.js";
import type { FaceContext, Signed } from "../kit/env.js";
import { refusalStatus } from "../kit/errors.js";
import { ADMIN_PAGES } from "../kit/mounts.js";
import { htmlResponse } from "../middleware/security-headers.js";
import { remoteAddress, transport } from "../request-info.js";
import { ADMIN_COOKIE, CONSOLE_CLIENT, consoleSession, setConsoleCookie } from "./auth.js";
import { Document, Hidden, Notice } from "./layout.js";

// The console's own sign-in: the lockout rules, an admin role, and a cookie holding an access
// token of the console's client.

export type Status = 200 | 400 | 401 | 403 | 404 | 423 | 429;

export function html(c: FaceContext, node: JSX.Element, status: Status = 200) {
  return htmlResponse(c, `<!doctype html>${node}`, status);
}

export async function signedIn(core: ServerCore, c: FaceContext): Promise<Signed | undefined> {
  const token = getCookie(c, ADMIN_COOKIE);
  if (!token) return undefined;
  const r = await core.tokens.verify(token);
  if (!r.ok) return undefined;
  const session = await consoleSession(core, c, r.claims);
  const user = session && (await core.users.getByDn(r.claims.subject));
  if (!session || !user || user.disabled) return undefined;
  const canWrite = satisfies(r.claims.scopes, ADMIN_WRITE);
  return { claims: r.claims, session, token, name: user.username, canWrite };
}

export const LoginPage = (p: { csrf: string; message?: string; username?: string }) => (
  <Document title="Admin sign-in">
    <main id="main" class="login">
      <h1>opcli admin</h1>
      <Notice text={p.message} kind="error" />
      <form method="post" action={`${ADMIN_PAGES}/login`}>
        <Hidden name="csrf_token" value={p.csrf} />
        <label for="username">User name</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          value={p.username ?? ""}
          required
          autofocus={!p.message}
        />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  </Document>
);

export async function form(c: FaceContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

export async function login(core: ServerCore, c: FaceContext) {
  const f = await form(c);
  if (crossSite(c) || !csrfValid(c, f))
    return html(c, <LoginPage csrf={csrfToken(c)} message="The form expired; please try again." />, 403);
  const username = f.username ?? "";
  const outcome = await core.users.authenticate(username, f.password ?? "", remoteAddress(c));
  if (!outcome.ok) {
    return html(
      c,
      <LoginPage csrf={csrfToken(c)} message={outcome.error.message} username={username} />,
      refusalStatus(c, outcome.error),
    );
  }
  const scopes = [...scopesOfRoles(outcome.value.roles)];
  if (!satisfies(new Set(scopes), ADMIN_READ))
    return html(
      c,
      <LoginPage csrf={csrfToken(c)} message="This account may not use the admin console." />,
      403,
    );
  // A console sign-in is a session like any other: listed, audited, terminable, capped.
  const ip = remoteAddress(c);
  const attributes = {
    auth_user: outcome.value.username,
    acr: PASSWORD_ACR,
    client_id: CONSOLE_CLIENT,
    remote_ip: ip,
    user_agent: (c.req.header("user-agent") ?? "").slice(0, core.config.maxAttributeLength),
  };
  const actor = { type: "user" as const, id: outcome.value.username, ip };
  const created = await core.sessions.create("authenticated", outcome.value, attributes, transport(c), actor);
  if (!created.ok) return html(c, <LoginPage csrf={csrfToken(c)} message={created.error.message} />, 403);
  const { sid } = created.value.session;
  const token = await core.tokens.issue(
    CONSOLE_CLIENT,
    scopes,
    core.config.adminSessionLifetime,
    outcome.value.dn,
    sid,
  );
  setConsoleCookie(core, c, token);
  core.log.info("admin console sign-in", {});
  return c.redirect(`${ADMIN_PAGES}/sessions`, 303);
}
