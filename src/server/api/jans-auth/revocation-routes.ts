import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { GLOBAL_TOKEN_REVOCATION, SCOPE } from "../../core/oauth/scopes.js";
import type { UserAttribute } from "../../store/types.js";
import { clientActor } from "../kit/actor.js";
import { jsonObject } from "../kit/body.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { oauthError } from "../kit/errors.js";
import { authenticateClient, authenticatedForm } from "./client-auth.js";

// Ending someone else's sessions, as Janssen does: the Session Revocation Endpoint
// (`revoke_session`, by a user attribute) and the Global Token Revocation endpoint (every session
// and token of a subject). Both answer the same whether or not the user exists.

/** The user attributes a client may name (Janssen's user criteria; `email` as an alias of mail). */
const ATTRIBUTES: Record<string, UserAttribute> = { uid: "uid", mail: "mail", email: "mail", inum: "inum" };

function refuse(c: FaceContext, scope: string) {
  return oauthError(c, 401, "invalid_request", `the client needs the ${scope} scope`);
}

export function revocationRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();

  app.post("/restv1/revoke_session", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    if (!auth.client.scopes.includes(SCOPE.revokeSession)) return refuse(c, SCOPE.revokeSession);
    const { user_criterion_key: key = "", user_criterion_value: value = "" } = auth.form;
    const attribute = Object.hasOwn(ATTRIBUTES, key) ? ATTRIBUTES[key] : undefined;
    if (!attribute || !value)
      return oauthError(
        c,
        400,
        "invalid_request",
        "user_criterion_key (uid, mail or inum) and user_criterion_value are required",
      );
    const user = await core.users.findBy(attribute, value);
    if (user) await core.sessions.revokeUser(user.dn, clientActor(auth.client.clientId));
    return c.body(null, 200);
  });

  app.post("/restv1/global-token-revocation", async (c) => {
    const auth = await authenticateClient(core, c.req.header("authorization"), {});
    if (!auth.ok) {
      c.header("WWW-Authenticate", 'Basic realm="jans-auth"');
      return oauthError(c, 401, "invalid_client", auth.description);
    }
    if (!auth.client.scopes.includes(GLOBAL_TOKEN_REVOCATION)) return refuse(c, GLOBAL_TOKEN_REVOCATION);
    const body = await jsonObject(c);
    if (typeof body === "string") return oauthError(c, 400, "invalid_request", body);
    const sub = body.sub_id as { format?: unknown; id?: unknown } | undefined;
    const attribute =
      typeof sub?.format === "string" && Object.hasOwn(ATTRIBUTES, sub.format)
        ? ATTRIBUTES[sub.format]
        : undefined;
    if (!attribute || typeof sub?.id !== "string" || sub.id === "")
      return oauthError(
        c,
        400,
        "invalid_request",
        'expected {"sub_id": {"format": "uid"|"mail"|"inum", "id": "..."}}',
      );
    const user = await core.users.findBy(attribute, sub.id);
    if (user) await core.users.endEverything(user.dn, clientActor(auth.client.clientId));
    return c.body(null, 204);
  });

  return app;
}
