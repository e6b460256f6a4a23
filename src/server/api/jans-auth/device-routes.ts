import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { decideDeviceRequest, pendingDeviceRequest } from "../../core/oauth/device.js";
import type { DeviceCodeRecord } from "../../store/types.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { htmlPage, type PageStatus } from "../html.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { refusalStatus } from "../kit/errors.js";
import { remoteAddress } from "../request-info.js";
import { fieldsOf } from "./browser.js";
import { deviceForm, deviceRequest, text } from "./pages.js";

/** What the person is asked to approve, when the code is pending. */
async function request(core: ServerCore, rec: DeviceCodeRecord | undefined) {
  if (!rec) return null;
  const client = await core.clients.get(rec.clientId);
  return deviceRequest(rec, client?.name ?? rec.clientId);
}

/** The approval page of the device authorization grant (RFC 8628 section 3.3), CSRF-protected. */
export function deviceRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const show = async (c: FaceContext, code: string, message = "", status: PageStatus = 200) =>
    htmlPage(
      c,
      "Approve a device",
      deviceForm(csrfToken(c), code, await request(core, await pendingDeviceRequest(core, code)), message),
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
    if (!(await decideDeviceRequest(core, rec, outcome.value.dn, approve)))
      return show(c, code, "That code is unknown or has expired.", 400);
    core.log.info("device authorization", { approved: approve });
    return htmlPage(c, approve ? "Device approved" : "Request denied", text("You can close this page."));
  });
  return app;
}
