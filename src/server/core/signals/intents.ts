import { createHash, randomUUID } from "node:crypto";
import type { ClientRecord, OutboxRecord, SessionRecord, Store, StreamRecord } from "../../store/types.js";
import type { Actor } from "../events.js";
import { subjectOf } from "../oauth/subject.js";

// What an ending owes the parties that relied on a session, decided before the store writes it:
// a logout token to each RP the session gave an id_token to, a CAEP event to each stream about it.

export const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
export const CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";
export const VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";
export const SUPPORTED_EVENTS = [SESSION_REVOKED, CREDENTIAL_CHANGE, VERIFICATION] as const;

/** Who and what may be told, read once per ending. */
export interface Relying {
  /** Clients with a back-channel logout URI, by id. */
  clients: ReadonlyMap<string, ClientRecord>;
  /** Streams not disabled. */
  streams: readonly StreamRecord[];
  issuer: string;
}

/** Who may be told, as the store has it now. */
export async function loadRelying(store: Store, issuer: string): Promise<Relying> {
  const clients = await store.clients.withBackchannel();
  const streams = await store.streams.active();
  return { clients: new Map(clients.map((c) => [c.clientId, c])), streams, issuer };
}

/** What of an ended session decides who is told. */
export type Ended = Pick<SessionRecord, "sid" | "userDn" | "grants">;

/** How a delivery's id (its jti) is made: random, or derived (a fanout expanded twice writes each once). */
export type IdOf = (kind: OutboxRecord["kind"], target: string, sid: string | null) => string;
const randomId: IdOf = () => randomUUID();

/** A stable UUID for one delivery of a fanout row. */
export function derivedId(parent: string): IdOf {
  return (kind, target, sid) => {
    const h = createHash("sha256")
      .update(`${parent}\n${kind}\n${target}\n${sid ?? ""}`)
      .digest("hex");
    const variant = (8 | (Number.parseInt(h[16]!, 16) & 3)).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

/** Whether an ending may owe anyone anything (cheap: decides whether a fanout row is written). */
export function mayOwe(r: Relying, ended: readonly Ended[]): boolean {
  if (r.clients.size === 0 && r.streams.length === 0) return false;
  return ended.some(
    (s) => s.userDn && (r.streams.length > 0 || Object.keys(s.grants).some((c) => r.clients.has(c))),
  );
}

/** Why a session ended, as the events say it. */
export type EndCause = "ended" | "revoked" | "expired" | "replaced";

/** CAEP's initiating_entity for who ended it. */
function initiating(actor: Actor): "admin" | "user" | "system" {
  if (actor.type === "user") return "user";
  return actor.type === "system" ? "system" : "admin";
}

/** A subject as a stream stores it: `user:<dn>` or `session:<sid>`. */
export const userKey = (dn: string) => `user:${dn}`;
export const sessionKey = (sid: string) => `session:${sid}`;

export function userSubject(issuer: string, dn: string) {
  return { format: "iss_sub", iss: issuer, sub: subjectOf(dn) };
}

function row(
  kind: OutboxRecord["kind"],
  target: string,
  s: { sid: string | null; userDn: string | null },
  payload: Record<string, unknown>,
  now: number,
  idOf: IdOf = randomId,
): OutboxRecord {
  return {
    id: idOf(kind, target, s.sid),
    kind,
    target,
    sid: s.sid,
    userDn: s.userDn,
    payload,
    createdAt: now,
    nextAttemptAt: now,
    attempts: 0,
    state: "pending",
    outcome: null,
  };
}

/** What a fanout row holds: enough to work out, when it is expanded, who is owed what. */
export interface FanoutPayload {
  cause: EndCause;
  actor: Actor;
  at: number;
  /** The clients any ended session gave an id_token to, once (sessions name them by index). */
  clients: string[];
  /** Each ended session; its userDn only when it is not the row's (an ending is mostly one user's). */
  sessions: { sid: string; userDn?: string | null; g: number[] }[];
}

/** Whether a grant's scopes include openid (only such a grant gave the client an id_token). */
const hasOpenid = (scopes: string) => scopes === "openid" || ` ${scopes} `.includes(" openid ");

/**
 * An ending's deliveries as one small row, written in its transaction: the dispatcher expands it
 * into one row per RP and stream (ids derived from this row's, so expanding twice writes each once).
 * Only openid grants can owe a logout token; each client id is written once however many sessions.
 * Plain loops: this runs inside the ending's transaction, once, rarely warm.
 */
export function fanout(ended: readonly Ended[], cause: EndCause, actor: Actor, now: number): OutboxRecord {
  const index = new Map<string, number>();
  const userDn = ended[0]?.userDn ?? null;
  const sessions: FanoutPayload["sessions"] = [];
  for (const s of ended) {
    const g: number[] = [];
    for (const c in s.grants) {
      if (!hasOpenid(s.grants[c] ?? "")) continue;
      let i = index.get(c);
      if (i === undefined) {
        i = index.size;
        index.set(c, i);
      }
      g.push(i);
    }
    sessions.push(s.userDn === userDn ? { sid: s.sid, g } : { sid: s.sid, userDn: s.userDn, g });
  }
  const payload: FanoutPayload = {
    cause,
    actor: { type: actor.type, id: actor.id ?? null },
    at: now,
    clients: [...index.keys()],
    sessions,
  };
  return row("fanout", "", { sid: null, userDn }, { ...payload }, now);
}

/** The deliveries a fanout row stands for, as the relying parties are now. */
export function expandFanout(r: Relying, o: OutboxRecord): OutboxRecord[] {
  const p = o.payload as unknown as FanoutPayload;
  const idOf = derivedId(o.id);
  return p.sessions.flatMap((s) => {
    const grants = Object.fromEntries((s.g ?? []).map((i) => [p.clients?.[i] ?? "", "openid"]));
    const userDn = s.userDn === undefined ? o.userDn : s.userDn;
    return endingIntents(r, { sid: s.sid, userDn, grants }, p.cause, p.actor, p.at, idOf);
  });
}

/** A stream's delivery row for an event about a user (and maybe a session). */
export function streamRow(
  st: StreamRecord,
  who: { sid: string | null; userDn: string | null },
  payload: { sub_id: unknown; events: Record<string, unknown> },
  now: number,
  idOf: IdOf = randomId,
): OutboxRecord {
  return row(st.method === "push" ? "ssf-push" : "ssf-poll", st.id, who, payload, now, idOf);
}

/** Streams that asked for this event about this user (or this session). */
function interested(r: Relying, event: string, dn: string, sid: string | null) {
  return r.streams.filter(
    (st) =>
      st.status !== "disabled" &&
      st.eventsRequested.includes(event) &&
      (st.subjects.includes(userKey(dn)) || (sid !== null && st.subjects.includes(sessionKey(sid)))),
  );
}

/** The deliveries a session's end owes. */
export function endingIntents(
  r: Relying,
  s: Ended,
  cause: EndCause,
  actor: Actor,
  now: number,
  idOf: IdOf = randomId,
): OutboxRecord[] {
  if (!s.userDn) return [];
  const out: OutboxRecord[] = [];
  for (const [clientId, scopes] of Object.entries(s.grants)) {
    // Only a grant with openid gave the client an id_token for this session.
    if (!r.clients.has(clientId) || !scopes.split(" ").includes("openid")) continue;
    out.push(row("backchannel", clientId, s, { sub: subjectOf(s.userDn), sid: s.sid }, now, idOf));
  }
  const user = userSubject(r.issuer, s.userDn);
  for (const st of interested(r, SESSION_REVOKED, s.userDn, s.sid)) {
    const bySession = st.subjects.includes(sessionKey(s.sid));
    const sub_id = bySession ? { format: "complex", user, session: { format: "opaque", id: s.sid } } : user;
    const event = {
      event_timestamp: Math.floor(now / 1000),
      initiating_entity: initiating(actor),
      reason_admin: { en: `session ${cause}` },
    };
    out.push(streamRow(st, s, { sub_id, events: { [SESSION_REVOKED]: event } }, now, idOf));
  }
  return out;
}

/** CAEP credential-change for a user's new password, to every stream that asked. */
export function passwordChangeIntents(r: Relying, dn: string, actor: Actor, now: number): OutboxRecord[] {
  const event = {
    credential_type: "password",
    change_type: "update",
    event_timestamp: Math.floor(now / 1000),
    initiating_entity: initiating(actor),
  };
  return interested(r, CREDENTIAL_CHANGE, dn, null).map((st) =>
    streamRow(
      st,
      { sid: null, userDn: dn },
      { sub_id: userSubject(r.issuer, dn), events: { [CREDENTIAL_CHANGE]: event } },
      now,
    ),
  );
}
