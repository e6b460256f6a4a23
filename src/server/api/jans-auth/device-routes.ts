import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { decideDeviceRequest, pendingDeviceRequest } from "../../core/oauth/device.js";
import type { DeviceCodeRecord } from "../../store/types.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { alert, escapeHtml, hidden, htmlPage } from "../html.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { refusalStatus } from "../kit/errors.js";
import { JANS_AUTH } from "../kit/mounts.js";
import { remoteAddress } from "../request-info.js";
import { fieldsOf } from "./browser.js";

/** What the person is asked to approve: which client, which scopes. */
async function request(core: ServerCore, rec: DeviceCodeRecord | undefined): Promise<string> {
  if (!rec) return "";
  const client = await core.clients.get(rec.clientId);
  const scopes = rec.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return `<dl><dt>Client</dt><dd>${escapeHtml(client?.name ?? rec.clientId)} (<code>${escapeHtml(rec.clientId)}</code>)</dd>
<dt>Asks for</dt><dd><ul>${scopes}</ul></dd></dl>`;
}

function form(token: string, userCode: string, details: string, message = ""): string {
  return `${alert(message)}${details}
<form method="post" action="${JANS_AUTH}/device">${hidden("csrf_token", token)}
<label for="user_code">Code shown on the device</label>
<input id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" required>
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button name="action" value="approve">Approve</button><button name="action" value="deny">Deny</button>
</form>`;
}

/** The approval page of the device authorization grant (RFC 8628 section 3.3), CSRF-protected. */
export function deviceRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const show = async (
    c: FaceContext,
    code: string,
    message = "",
    status: 200 | 400 | 401 | 403 | 423 | 429 = 200,
  ) =>
    htmlPage(
      c,
      "Approve a device",
      form(csrfToken(c), code, await request(core, await pendingDeviceRequest(core, code)), message),
      status,
    );

  app.get("/device", (c) => show(c, (c.req.query("user_code") ?? "").slice(0, 16)));

  app.post("/device", async (c) => {
    const parsed = await fieldsOf(c);
    if (typeof parsed === "string" || parsed.kind !== "form") return show(c, "", "Please use the form.", 400);
    const body = parsed.fields;
    const code = (body.user_code ?? "").trim().toUpperCase().slice(0, 16);
    if (crossSite(c) || !csrfValid(c, body)) return show(c, code, "The form expired; please try again.", 403);
    const rec = await pendingDeviceRequest(core, code);
    if (!rec) return show(c, code, "That code is unknown or has expired.", 400);
    const outcome = await core.users.authenticate(body.username ?? "", body.password ?? "", remoteAddress(c));
    if (!outcome.ok) {
      return show(c, code, outcome.error.message, refusalStatus(c, outcome.error));
    }
    const approve = body.action !== "deny";
    await decideDeviceRequest(core, rec, outcome.value.dn, approve);
    core.log.info("device authorization", { approved: approve });
    return htmlPage(c, approve ? "Device approved" : "Request denied", "<p>You can close this page.</p>");
  });
  return app;
}
