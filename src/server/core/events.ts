import type {
  EventQuery,
  OutboxRecord,
  SessionEvent,
  SessionEventType,
  SessionRecord,
  Store,
} from "../store/types.js";
import { checkIpSpread } from "./alarms.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { WebhookDispatcher } from "./webhooks.js";

/** Who caused an event. */
export interface Actor {
  type: SessionEvent["actorType"];
  id?: string | null;
  ip?: string | null;
}

export const SYSTEM: Actor = { type: "system" };

/** Session events: appended to the audit table, then handed to the webhooks (never awaited). */
export class SessionEvents {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: ServerConfig,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  async emit(
    type: SessionEventType,
    s: SessionRecord,
    actor: Actor,
    detail: Record<string, string> = {},
  ): Promise<void> {
    await this.append(this.about(type, s, actor, detail));
    if (type === "authenticated" && s.userDn)
      await checkIpSpread(this.store, this.clock, this.config, {
        userDn: s.userDn,
        username: s.attributes.auth_user ?? null,
      });
  }

  /** An event about an account rather than a session (a refused sign-in, a lock). */
  async emitAccount(
    type: SessionEventType,
    who: { userDn: string | null; username: string },
    actor: Actor,
    detail: Record<string, string> = {},
  ): Promise<void> {
    await this.append(this.build(type, { ...who, sid: null }, { clientId: null, ip: null }, actor, detail));
  }

  /** An attempt to deliver a logout token or a security event (its target in clientId for a client). */
  async delivery(o: OutboxRecord, detail: Record<string, string>): Promise<void> {
    const who = { sid: o.sid, userDn: o.userDn, username: null };
    const where = { clientId: o.kind === "backchannel" ? o.target : null, ip: null };
    await this.append(
      this.build("delivery", who, where, SYSTEM, { kind: o.kind, target: o.target, jti: o.id, ...detail }),
    );
  }

  /** A session's event, not yet recorded (a store records it in the transaction that ends the session). */
  about(
    type: SessionEventType,
    s: SessionRecord,
    actor: Actor,
    detail: Record<string, string> = {},
  ): Omit<SessionEvent, "id"> {
    const who = { sid: s.sid, userDn: s.userDn, username: s.attributes.auth_user ?? null };
    const where = { clientId: s.attributes.client_id ?? null, ip: s.attributes.remote_ip ?? null };
    return this.build(type, who, where, actor, detail);
  }

  /** Events a store recorded, handed to the webhooks (never awaited). */
  published(events: readonly SessionEvent[]): void {
    for (const e of events) this.webhooks.dispatch(e);
  }

  private async append(event: Omit<SessionEvent, "id">): Promise<void> {
    const id = await this.store.events.append(event);
    this.webhooks.dispatch({ ...event, id });
  }

  private build(
    type: SessionEventType,
    who: { sid: string | null; userDn: string | null; username: string | null },
    where: { clientId: string | null; ip: string | null },
    actor: Actor,
    detail: Record<string, string>,
  ): Omit<SessionEvent, "id"> {
    return {
      at: this.clock.now(),
      type,
      ...who,
      clientId: where.clientId,
      actorType: actor.type,
      actor: actor.id ?? null,
      remoteIp: actor.ip ?? where.ip,
      detail,
    };
  }

  /** A use is recorded at most once per sessionUsedEventInterval for each session (sampled). */
  shouldRecordUse(s: SessionRecord, now: number): boolean {
    return now - s.lastUsedAt >= this.config.sessionUsedEventInterval * 1000;
  }

  list(q: EventQuery) {
    return this.store.events.list(q);
  }

  /** Drops events older than auditRetention. */
  purge(now: number): Promise<number> {
    return this.store.events.purgeBefore(now - this.config.auditRetention * 1000);
  }
}
