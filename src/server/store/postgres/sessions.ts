import {
  eventInsert,
  insertSql,
  SESSION_COLUMNS,
  type SessionRow,
  sessionFromRow,
  sessionToRow,
  summaryFromRow,
} from "../rows.js";
import { type BuiltQuery, buildSessionQuery } from "../session-sql.js";
import type {
  CapResult,
  EndedSessions,
  EndTarget,
  SessionCap,
  SessionEnding,
  SessionEvent,
  SessionPage,
  SessionQuery,
  SessionRecord,
  SessionReplacing,
  SessionStore,
  UserSessionSummary,
} from "../types.js";
import { numbered, type PgDb, type Queryable } from "./db.js";
import { PG_DIALECT, searchText } from "./dialect.js";
import { PG_REVOKE } from "./grants.js";
import { addOutbox } from "./outbox.js";

/** Every written column, in the order of the insert's parameters, with its array type for unnest. */
const WRITE_COLUMNS: readonly [string, string][] = [
  ["sid", "text"],
  ["cookie_hash", "text"],
  ["user_dn", "text"],
  ["state", "text"],
  ["created_at", "int8"],
  ["last_used_at", "int8"],
  ["auth_time", "int8"],
  ["absolute_expires_at", "int8"],
  ["expires_at", "int8"],
  ["permission_granted", "bool"],
  ["attrs", "text"],
  ["secure", "bool"],
  ["record_id", "text"],
  ["grants", "text"],
  ["handle", "text"],
  ["realm", "text"],
  ["props", "text"],
  ["auth_user", "text"],
  ["client_id", "text"],
  ["acr", "text"],
  ["remote_ip", "text"],
  ["user_agent", "text"],
  ["user_id", "text"],
  ["search_text", "text"],
];
const NAMES = WRITE_COLUMNS.map(([c]) => c).join(", ");
const INSERT = `INSERT INTO sessions (${NAMES}) VALUES (${WRITE_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`;
const INSERT_MANY = `INSERT INTO sessions (${NAMES}) SELECT * FROM unnest(${WRITE_COLUMNS.map(
  ([, t], i) => `$${i + 1}::${t}[]`,
).join(", ")})`;
// The upgrade rewrites what authentication changes; sid, cookie and handle stay.
const UPGRADED = WRITE_COLUMNS.filter(
  ([c]) =>
    ![
      "sid",
      "cookie_hash",
      "created_at",
      "absolute_expires_at",
      "secure",
      "record_id",
      "grants",
      "handle",
    ].includes(c),
);
const UPGRADE = `UPDATE sessions SET ${UPGRADED.map(([c], i) => `${c} = $${i + 1}`).join(", ")}
  WHERE sid = $${UPGRADED.length + 1}`;

const BOOLS = new Set(["permission_granted", "secure"]);

function values(s: SessionRecord, columns: readonly [string, string][] = WRITE_COLUMNS): unknown[] {
  const row: Record<string, unknown> = {
    ...sessionToRow(s),
    search_text: searchText(s.userDn, s.sid, s.attributes),
  };
  return columns.map(([c]) => (BOOLS.has(c) ? row[c] === 1 : row[c]));
}

/** Serialises decisions about one key (a user's cap, the anonymous caps) across every instance, until commit. */
const lockKey = (c: Queryable, key: string) =>
  c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);

async function countOf(c: Queryable, sql: string, params: unknown[]): Promise<number> {
  return Number((await c.query(sql, params)).rows[0]?.n ?? 0);
}

/** Up to this many matches, a filtered page is picked by sorting the matches rather than by walking an index. */
const FILTER_FIRST_BELOW = 1_000_000;

/** Rolls a rotation back and carries why. */
class Refused extends Error {
  constructor(readonly result: CapResult) {
    super(result);
  }
}

/** What ended sessions leave: each one's `sid:` revocation, no refresh token, the deliveries they owe. */
async function leaveBehind(c: Queryable, ended: SessionRecord[], ending: SessionReplacing): Promise<void> {
  for (const s of ended) {
    await c.query(PG_REVOKE, [`sid:${s.sid}`, ending.revokeUntil]);
    await c.query("DELETE FROM refresh_tokens WHERE sid = $1", [s.sid]);
  }
  if (ending.outbox && ended.length > 0) await addOutbox(c, ending.outbox(ended));
}

export class PgSessions implements SessionStore {
  constructor(private readonly db: PgDb) {}

  /** Whether rec may be written under the caps; called inside a transaction, it takes the lock it decides under. */
  private async admit(c: Queryable, rec: SessionRecord, cap: SessionCap | undefined): Promise<CapResult> {
    if (!cap) return "ok";
    if (rec.state === "authenticated") return (await this.underCap(c, rec.userDn, cap)) ? "ok" : "limit";
    const perAddress = cap.anonymousPerAddress ?? 0;
    const total = cap.anonymousTotal ?? 0;
    if (perAddress <= 0 && total <= 0) return "ok";
    await lockKey(c, "opcli:anonymous-sessions");
    const ip = rec.attributes.remote_ip ?? null;
    const anon = "SELECT count(*) AS n FROM sessions WHERE state = 'unauthenticated' AND expires_at > $1";
    if (
      perAddress > 0 &&
      (await countOf(c, `${anon} AND remote_ip IS NOT DISTINCT FROM $2`, [cap.now, ip])) >= perAddress
    )
      return "busy";
    if (total > 0 && (await countOf(c, anon, [cap.now])) >= total) return "busy";
    return "ok";
  }

  private async underCap(c: Queryable, userDn: string | null, cap: SessionCap): Promise<boolean> {
    if (cap.max <= 0 || userDn === null) return true;
    await lockKey(c, `opcli:user-sessions:${userDn}`);
    const n = await countOf(
      c,
      "SELECT count(*) AS n FROM sessions WHERE user_dn = $1 AND expires_at > $2 AND state = 'authenticated'",
      [userDn, cap.now],
    );
    return n < cap.max;
  }

  async insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult> {
    return this.db.tx(async (c) => {
      const admitted = await this.admit(c, rec, cap);
      if (admitted === "ok") await c.query(INSERT, values(rec));
      return admitted;
    });
  }

  async rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult> {
    try {
      return await this.db.tx(async (c) => {
        // The old session leaves first: it must not count against the cap it is replaced under.
        if (oldSid !== null) {
          const { rows } = await c.query(`DELETE FROM sessions WHERE sid = $1 RETURNING ${SESSION_COLUMNS}`, [
            oldSid,
          ]);
          const old = rows[0] && sessionFromRow(rows[0] as unknown as SessionRow);
          if (old && replacing) await leaveBehind(c, [old], replacing);
        }
        const admitted = await this.admit(c, rec, cap);
        if (admitted !== "ok") throw new Refused(admitted);
        await c.query(INSERT, values(rec));
        return "ok" as const;
      });
    } catch (err) {
      // Refused: rolled back, so the old session stays.
      if (err instanceof Refused) return err.result;
      throw err;
    }
  }

  /** Bulk import without a cap: one statement over column arrays. */
  async insertMany(recs: SessionRecord[]): Promise<void> {
    if (recs.length === 0) return;
    const rows = recs.map((r) => values(r));
    const columns = WRITE_COLUMNS.map((_, i) => rows.map((row) => row[i]));
    await this.db.query(INSERT_MANY, columns);
  }

  async authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult> {
    return this.db.tx(async (c) => {
      const { rows } = await c.query(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = $1 AND expires_at > $2 FOR UPDATE`,
        [sid, cap.now],
      );
      if (!rows[0]) return "gone";
      const next = { ...sessionFromRow(rows[0] as unknown as SessionRow), ...update };
      if (!(await this.underCap(c, next.userDn, cap))) return "limit";
      await c.query(UPGRADE, [...values(next, UPGRADED), sid]);
      return "ok";
    });
  }

  private async one(sql: string, params: unknown[]): Promise<SessionRecord | undefined> {
    const rows = await this.db.query(sql, params);
    return rows[0] && sessionFromRow(rows[0] as unknown as SessionRow);
  }

  getLive(sid: string, now: number): Promise<SessionRecord | undefined> {
    return this.one(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = $1 AND expires_at > $2`, [sid, now]);
  }

  getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined> {
    return this.one(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE cookie_hash = $1 AND expires_at > $2`, [
      cookieHash,
      now,
    ]);
  }

  getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined> {
    return this.one(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE handle = $1 AND expires_at > $2`, [
      handle,
      now,
    ]);
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean> {
    const rows = await this.db.query(
      "UPDATE sessions SET last_used_at = $1, expires_at = $2 WHERE sid = $3 AND last_used_at <= $4 RETURNING 1 AS ok",
      [lastUsedAt, expiresAt, sid, usedBefore ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.length > 0;
  }

  setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined> {
    return this.one(
      `UPDATE sessions SET props = (props::jsonb || $1::jsonb)::text WHERE sid = $2 AND expires_at > $3 RETURNING ${SESSION_COLUMNS}`,
      [JSON.stringify(properties), sid, now],
    );
  }

  async search(q: SessionQuery): Promise<SessionPage> {
    const built = buildSessionQuery(q, PG_DIALECT);
    // With a filter, most searches match few sessions: counted and paged in one pass over them.
    // (Sorted by expiry, the liveness range's own index already yields the page in order.)
    const filtered = q.filters.length > 0 || q.pattern !== "" || q.expr !== undefined;
    if (q.countTotal !== false && filtered && !built.sortColumns.startsWith("expires_at")) {
      const page = await this.filterFirst(built, q);
      if (page) return page;
    }
    const { where, params, orderBy, keyset } = built;
    let total = -1;
    if (q.countTotal !== false) {
      total = await this.db.count(numbered(`SELECT count(*) AS n FROM sessions WHERE ${where}`), params);
      if (total === 0 || q.offset >= total) return { total, entries: [] };
    }
    const pageWhere = keyset ? `${where} AND ${keyset.clause}` : where;
    const rows = await this.db.query(
      numbered(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${pageWhere} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      ),
      [...params, ...(keyset?.params ?? []), q.limit, q.offset],
    );
    return { total, entries: rows.map((r) => sessionFromRow(r as unknown as SessionRow)) };
  }

  /**
   * The matches (their sort columns, from an index where one serves) counted and sorted in one
   * statement, then the page's rows read by sid; undefined when there are more than
   * FILTER_FIRST_BELOW matches, which the index walk serves better. Left to itself the planner may
   * walk the sort column's index and filter as it goes, assuming matches are spread evenly; bunched
   * ones (an expirationDate range sorted by creation) make that read most of the table.
   */
  private async filterFirst(b: BuiltQuery, q: SessionQuery): Promise<SessionPage | undefined> {
    const keyset = b.keyset ? `WHERE ${b.keyset.clause}` : "";
    const [r] = await this.db.query(
      numbered(`WITH m AS MATERIALIZED (SELECT ${b.sortColumns} FROM sessions WHERE ${b.where} LIMIT ?)
        SELECT (SELECT count(*) FROM m) AS n,
               ARRAY(SELECT sid FROM m ${keyset} ORDER BY ${b.orderBy} LIMIT ? OFFSET ?) AS sids`),
      [...b.params, FILTER_FIRST_BELOW + 1, ...(b.keyset?.params ?? []), q.limit, q.offset],
    );
    const total = Number(r?.n ?? 0);
    if (total > FILTER_FIRST_BELOW) return undefined;
    const sids = (r?.sids as string[] | undefined) ?? [];
    if (sids.length === 0) return { total, entries: [] };
    const rows = await this.db.query(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ANY($1::text[]) ORDER BY ${b.orderBy}`,
      [sids],
    );
    return { total, entries: rows.map((row) => sessionFromRow(row as unknown as SessionRow)) };
  }

  async endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions> {
    return this.db.tx(async (c) => {
      const { rows } =
        "sid" in target
          ? await c.query(
              `DELETE FROM sessions WHERE sid = $1 AND expires_at > $2 RETURNING ${SESSION_COLUMNS}`,
              [target.sid, now],
            )
          : await c.query(
              `DELETE FROM sessions WHERE user_dn = $1 AND expires_at > $2 AND sid IS DISTINCT FROM $3 RETURNING ${SESSION_COLUMNS}`,
              [target.userDn, now, target.keepSid ?? null],
            );
      const sessions = rows.map((r) => sessionFromRow(r as unknown as SessionRow));
      await leaveBehind(c, sessions, ending);
      const events: SessionEvent[] = [];
      for (const s of sessions) {
        const e = ending.event(s);
        const ins = eventInsert(e);
        const r = await c.query(numbered(`${insertSql(ins)} RETURNING id`), ins.values);
        events.push({ ...e, id: Number(r.rows[0]?.id) });
      }
      return { sessions, events };
    });
  }

  async recordGrant(sid: string, clientId: string, scopes: string): Promise<void> {
    await this.db.query(
      "UPDATE sessions SET grants = jsonb_set(grants::jsonb, ARRAY[$1::text], to_jsonb($2::text))::text, permission_granted = true WHERE sid = $3",
      [clientId, scopes, sid],
    );
  }

  /** One batch; rows another instance is sweeping right now are skipped, not waited for. */
  async sweepExpired(
    now: number,
    batch: number,
    ending?: Pick<SessionEnding, "outbox">,
  ): Promise<SessionRecord[]> {
    return this.db.tx(async (c) => {
      const { rows } = await c.query(
        `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${SESSION_COLUMNS}`,
        [now, batch],
      );
      const gone = rows.map((r) => sessionFromRow(r as unknown as SessionRow));
      if (ending?.outbox && gone.length > 0) await addOutbox(c, ending.outbox(gone));
      return gone;
    });
  }

  async liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]> {
    if (userDns.length === 0) return [];
    const rows = await this.db.query(
      `SELECT user_dn, count(*) AS n, array_agg(DISTINCT remote_ip) AS addresses, max(last_used_at) AS last_used_at
       FROM sessions WHERE user_dn = ANY($1::text[]) AND expires_at > $2 AND state = 'authenticated' GROUP BY user_dn`,
      [userDns, now],
    );
    return rows.map(summaryFromRow);
  }

  async count(): Promise<number> {
    return this.db.count("SELECT count(*) AS n FROM sessions");
  }
}
