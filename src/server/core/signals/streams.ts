import { randomUUID } from "node:crypto";
import type { OutboxRecord, Store, StreamRecord, StreamStatus } from "../../store/types.js";
import { redirectProblem } from "../clients.js";
import type { Clock } from "../clock.js";
import { fail, ok, type Result } from "../errors.js";
import type { TokenService } from "../oauth/tokens.js";
import { SUPPORTED_EVENTS, sessionKey, streamRow, userKey, VERIFICATION } from "./intents.js";

// Shared Signals Framework 1.0 streams: each owned by the receiver (an OAuth client) that made it.

export const PUSH = "urn:ietf:rfc:8935";
export const POLL = "urn:ietf:rfc:8936";

/** A stream's configuration as a receiver writes it (SSF 1.0 section 8.1.1). */
export interface StreamInput {
  delivery?: { method?: unknown; endpoint_url?: unknown; authorization_header?: unknown };
  events_requested?: unknown;
  description?: unknown;
}

/** How a stream is shown: the SSF configuration object (the authorization header never). */
export function streamJson(s: StreamRecord, issuer: string, pollBase: string) {
  const endpoint = s.method === "push" ? s.endpointUrl : `${pollBase}/${s.id}`;
  return {
    stream_id: s.id,
    iss: issuer,
    aud: s.audience,
    delivery: { method: s.method === "push" ? PUSH : POLL, endpoint_url: endpoint },
    events_supported: [...SUPPORTED_EVENTS],
    events_requested: s.eventsRequested,
    events_delivered: s.eventsRequested.filter((e) => (SUPPORTED_EVENTS as readonly string[]).includes(e)),
    ...(s.description ? { description: s.description } : {}),
    min_verification_interval: 0,
  };
}

type Parsed = Pick<
  StreamRecord,
  "method" | "endpointUrl" | "authorizationHeader" | "eventsRequested" | "description"
>;

/** A receiver's configuration checked: a known method, a push endpoint that is https (or loopback). */
function parseInput(input: StreamInput, base?: StreamRecord): Result<Parsed> {
  const d = input.delivery ?? (base ? undefined : {});
  const methodUrn = d === undefined ? undefined : d.method;
  let method = base?.method ?? "poll";
  if (d !== undefined) {
    if (methodUrn !== PUSH && methodUrn !== POLL)
      return fail("invalid", `delivery.method must be ${PUSH} (push) or ${POLL} (poll)`);
    method = methodUrn === PUSH ? "push" : "poll";
  }
  let endpointUrl = d === undefined ? (base?.endpointUrl ?? null) : null;
  let authorizationHeader = d === undefined ? (base?.authorizationHeader ?? null) : null;
  if (d !== undefined && method === "push") {
    if (typeof d.endpoint_url !== "string")
      return fail("invalid", "push delivery needs delivery.endpoint_url");
    const problem = redirectProblem(d.endpoint_url, "delivery.endpoint_url");
    if (problem) return fail("invalid", problem);
    endpointUrl = d.endpoint_url;
    if (d.authorization_header !== undefined && typeof d.authorization_header !== "string")
      return fail("invalid", "delivery.authorization_header must be a string");
    authorizationHeader = (d.authorization_header as string | undefined) ?? null;
  }
  const events = input.events_requested ?? base?.eventsRequested ?? [];
  if (!Array.isArray(events) || events.some((e) => typeof e !== "string"))
    return fail("invalid", "events_requested must be an array of event type URIs");
  const description = input.description ?? base?.description ?? null;
  if (description !== null && typeof description !== "string")
    return fail("invalid", "description must be a string");
  return ok({ method, endpointUrl, authorizationHeader, eventsRequested: events as string[], description });
}

/** Stream management for one receiver at a time: every operation names the owning client. */
export class StreamService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tokens: TokenService,
    private readonly written: () => void,
  ) {}

  async create(clientId: string, input: StreamInput): Promise<Result<StreamRecord>> {
    const parsed = parseInput(input);
    if (!parsed.ok) return parsed;
    const now = this.clock.now();
    const s: StreamRecord = {
      id: randomUUID(),
      clientId,
      audience: clientId,
      ...parsed.value,
      status: "enabled",
      reason: null,
      subjects: [],
      createdAt: now,
      updatedAt: now,
    };
    await this.store.streams.insert(s);
    return ok(s);
  }

  /** The client's stream; not_found for another client's (its existence is not told). */
  async get(clientId: string, id: string): Promise<Result<StreamRecord>> {
    const s = await this.store.streams.get(id);
    return s && s.clientId === clientId ? ok(s) : fail("not_found", "no such stream");
  }

  list(clientId: string): Promise<StreamRecord[]> {
    return this.store.streams.ofClient(clientId);
  }

  /** PATCH keeps what the input leaves out; PUT (replace) resets it. */
  async update(
    clientId: string,
    id: string,
    input: StreamInput,
    replace: boolean,
  ): Promise<Result<StreamRecord>> {
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    const parsed = parseInput(input, replace ? undefined : found.value);
    if (!parsed.ok) return parsed;
    return this.save({ ...found.value, ...parsed.value });
  }

  async delete(clientId: string, id: string): Promise<Result<true>> {
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    await this.store.streams.delete(id);
    await this.store.outbox.dropTarget(id);
    return ok(true);
  }

  async setStatus(
    clientId: string,
    id: string,
    status: unknown,
    reason: unknown,
  ): Promise<Result<StreamRecord>> {
    if (status !== "enabled" && status !== "paused" && status !== "disabled")
      return fail("invalid", "status must be enabled, paused or disabled");
    if (reason !== undefined && typeof reason !== "string") return fail("invalid", "reason must be a string");
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    return this.save({ ...found.value, status: status as StreamStatus, reason: (reason as string) ?? null });
  }

  /** Adds or removes a subject; an unknown one is kept as given (it matches nothing, and says nothing). */
  async subject(clientId: string, id: string, subject: unknown, add: boolean): Promise<Result<StreamRecord>> {
    const key = await this.keyOf(subject);
    if (!key.ok) return key;
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    const rest = found.value.subjects.filter((k) => k !== key.value);
    return this.save({ ...found.value, subjects: add ? [...rest, key.value] : rest });
  }

  /** Queues a verification event (SSF 1.0 section 8.1.4), pushed or held for the poll. */
  async verify(clientId: string, id: string, state: unknown): Promise<Result<true>> {
    if (state !== undefined && typeof state !== "string") return fail("invalid", "state must be a string");
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    const payload = {
      sub_id: { format: "opaque", id },
      events: { [VERIFICATION]: state === undefined ? {} : { state } },
    };
    await this.store.outbox.add([
      streamRow(found.value, { sid: null, userDn: null }, payload, this.clock.now()),
    ]);
    this.written();
    return ok(true);
  }

  /**
   * RFC 8936 poll: acknowledges what the receiver names, then answers up to maxEvents SETs
   * (signed now, each with the jti fixed when it was queued).
   */
  async poll(
    clientId: string,
    id: string,
    req: { maxEvents?: unknown; ack?: unknown; setErrs?: unknown },
  ): Promise<Result<{ sets: Record<string, string>; moreAvailable: boolean }>> {
    const found = await this.get(clientId, id);
    if (!found.ok) return found;
    if (found.value.method !== "poll") return fail("invalid", "this stream is delivered by push");
    const ack = Array.isArray(req.ack) ? req.ack.filter((a): a is string => typeof a === "string") : [];
    const errs = req.setErrs && typeof req.setErrs === "object" ? Object.keys(req.setErrs) : [];
    await this.store.outbox.acknowledge(id, [...ack, ...errs], this.clock.now());
    const max = typeof req.maxEvents === "number" && req.maxEvents >= 0 ? Math.min(req.maxEvents, 100) : 100;
    const due = await this.store.outbox.pending(id, max + 1);
    const sets: Record<string, string> = {};
    for (const o of due.slice(0, max)) sets[o.id] = await this.sign(found.value, o);
    return ok({ sets, moreAvailable: due.length > max });
  }

  private sign(s: StreamRecord, o: OutboxRecord): Promise<string> {
    const { sub_id, events } = o.payload as { sub_id: unknown; events: unknown };
    return this.tokens.securityEvent(s.audience, o.id, { sub_id, events });
  }

  private async save(s: StreamRecord): Promise<Result<StreamRecord>> {
    const next = { ...s, updatedAt: this.clock.now() };
    return (await this.store.streams.update(next)) ? ok(next) : fail("not_found", "no such stream");
  }

  /** A subject identifier (RFC 9493) as a stream keeps it: the user or the session it names. */
  private async keyOf(subject: unknown): Promise<Result<string>> {
    if (typeof subject !== "object" || subject === null) return fail("invalid", "subject must be an object");
    const s = subject as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const user = async (attr: "mail" | "inum", value: string | undefined, raw: string) => {
      if (!value) return fail<string>("invalid", `subject of format ${String(s.format)} lacks its value`);
      const u = await this.store.users.findBy(attr, value);
      return ok(u ? userKey(u.dn) : `${raw}:${value}`);
    };
    switch (s.format) {
      case "email":
        return user("mail", str(s.email), "email");
      case "iss_sub":
        if (s.iss !== this.tokens.issuer) return ok(`iss_sub:${String(s.iss)}|${String(s.sub)}`);
        return user("inum", str(s.sub), "iss_sub");
      case "opaque":
        return user("inum", str(s.id), "opaque");
      case "complex": {
        const session = s.session as Record<string, unknown> | undefined;
        if (session?.format === "opaque" && str(session.id)) return ok(sessionKey(session.id as string));
        return s.user ? this.keyOf(s.user) : fail("invalid", "a complex subject needs user or session");
      }
      default:
        return fail("invalid", "subject format must be email, iss_sub, opaque or complex");
    }
  }
}
