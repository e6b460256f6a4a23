import { type Context, Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { decideDeviceRequest, pendingDeviceRequest } from "../../core/oauth/grants.js";

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font:inherit}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function form(userCode: string, message = ""): string {
  return page(
    "Approve a device",
    `${message ? `<p role="alert">${escapeHtml(message)}</p>` : ""}
<form method="post" action="/jans-auth/device">
<label for="user_code">Code shown on the device</label>
<input id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" required>
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button name="action" value="approve">Approve</button> <button name="action" value="deny">Deny</button>
</form>`,
  );
}

/** The minimal approval page of the device authorization grant (RFC 8628 section 3.3). */
export function deviceRoutes(core: ServerCore): Hono {
  const app = new Hono();
  app.get("/device", (c) => c.html(form(c.req.query("user_code") ?? "")));

  app.post("/device", async (c: Context) => {
    const body = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const code = (body.user_code ?? "").trim().toUpperCase();
    const rec = await pendingDeviceRequest(core, code);
    if (!rec) {
      return c.html(form(code, "That code is unknown or has expired."), 400);
    }
    const outcome = await core.users.authenticate(body.username ?? "", body.password ?? "");
    if (!outcome.ok) return c.html(form(code, outcome.message), outcome.status);
    const approve = body.action !== "deny";
    await decideDeviceRequest(core, rec, outcome.user.dn, approve);
    core.log.info("device authorization", { user: outcome.user.username, approved: approve });
    return c.html(page(approve ? "Device approved" : "Request denied", "<p>You can close this page.</p>"));
  });
  return app;
}
