import type { Context, Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import type { Result } from "../../core/errors.js";
import { SSF_STREAM_SCOPE } from "../../core/oauth/scopes.js";
import { POLL, PUSH, type StreamInput, streamJson } from "../../core/signals/streams.js";
import type { StreamRecord } from "../../store/types.js";
import { bearerAuth, claimsOf } from "../kit/bearer.js";
import { jsonObject } from "../kit/body.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { apiError, coreError } from "../kit/errors.js";
import { RESTV1, SSF } from "../kit/mounts.js";

// The Shared Signals Framework 1.0 transmitter (spec/ssf.yaml): its configuration document, the
// stream management API (each receiver sees only its own streams) and RFC 8936 polling.

/** The transmitter's configuration (SSF 1.0 section 7.1), with URLs from the address the caller used. */
export function ssfConfiguration(core: ServerCore, origin: string) {
  const base = `${origin}${SSF}`;
  return {
    spec_version: "1_0",
    issuer: core.tokens.issuer,
    jwks_uri: `${origin}${RESTV1}/jwks`,
    delivery_methods_supported: [PUSH, POLL],
    configuration_endpoint: `${base}/streams`,
    status_endpoint: `${base}/status`,
    add_subject_endpoint: `${base}/subjects/add`,
    remove_subject_endpoint: `${base}/subjects/remove`,
    verification_endpoint: `${base}/verify`,
    authorization_schemes: [{ spec_urn: "urn:ietf:rfc:6749" }],
    default_subjects: "NONE",
  };
}

/** The calling receiver: the client its access token was issued to. */
const receiver = (c: FaceContext) => claimsOf(c)!.clientId;

export function ssfRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const pollBase = (c: Context) => `${new URL(c.req.url).origin}${SSF}/poll`;
  const shown = (c: Context, s: StreamRecord) => streamJson(s, core.tokens.issuer, pollBase(c));
  const answer = (c: Context, r: Result<StreamRecord>, status: 200 | 201 = 200) =>
    r.ok ? c.json(shown(c, r.value), status) : coreError(c, r.error);
  const idOf = (body: Record<string, unknown>) => (typeof body.stream_id === "string" ? body.stream_id : "");

  app.use(
    "*",
    bearerAuth(core, {
      realm: "ssf",
      requirement: [[SSF_STREAM_SCOPE]],
      what: "the stream management API",
      render: apiError,
    }),
  );

  /** Runs with the JSON body, or answers 400 without one. */
  const withBody =
    (run: (c: FaceContext, body: Record<string, unknown>) => Promise<Response>) => async (c: FaceContext) => {
      const body = await jsonObject(c);
      return typeof body === "string"
        ? apiError(c, 400, `a JSON object body is required: ${body}`)
        : run(c, body);
    };

  app.post(
    "/streams",
    withBody(async (c, body) => answer(c, await core.streams.create(receiver(c), body as StreamInput), 201)),
  );
  app.get("/streams", async (c) => {
    const id = c.req.query("stream_id");
    if (id) return answer(c, await core.streams.get(receiver(c), id));
    return c.json((await core.streams.list(receiver(c))).map((s) => shown(c, s)));
  });
  for (const [method, replace] of [
    ["patch", false],
    ["put", true],
  ] as const)
    app[method](
      "/streams",
      withBody(async (c, body) =>
        answer(c, await core.streams.update(receiver(c), idOf(body), body as StreamInput, replace)),
      ),
    );
  app.delete("/streams", async (c) => {
    const r = await core.streams.delete(receiver(c), c.req.query("stream_id") ?? "");
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  const status = (s: StreamRecord) => ({
    stream_id: s.id,
    status: s.status,
    ...(s.reason ? { reason: s.reason } : {}),
  });
  app.get("/status", async (c) => {
    const r = await core.streams.get(receiver(c), c.req.query("stream_id") ?? "");
    return r.ok ? c.json(status(r.value)) : coreError(c, r.error);
  });
  app.post(
    "/status",
    withBody(async (c, body) => {
      const r = await core.streams.setStatus(receiver(c), idOf(body), body.status, body.reason);
      return r.ok ? c.json(status(r.value)) : coreError(c, r.error);
    }),
  );

  for (const [path, add] of [
    ["/subjects/add", true],
    ["/subjects/remove", false],
  ] as const)
    app.post(
      path,
      withBody(async (c, body) => {
        const r = await core.streams.subject(receiver(c), idOf(body), body.subject, add);
        if (!r.ok) return coreError(c, r.error);
        return add ? c.body(null, 200) : c.body(null, 204);
      }),
    );

  app.post(
    "/verify",
    withBody(async (c, body) => {
      const r = await core.streams.verify(receiver(c), idOf(body), body.state);
      return r.ok ? c.body(null, 204) : coreError(c, r.error);
    }),
  );

  app.post(
    "/poll/:id",
    withBody(async (c, body) => {
      const r = await core.streams.poll(receiver(c), c.req.param("id") ?? "", body);
      return r.ok ? c.json(r.value) : coreError(c, r.error);
    }),
  );
  return app;
}
