import type { EventQuery, SessionEvent, SessionEventType, SessionRecord, Store } from "../store/types.js";
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
    const event: Omit<SessionEvent, "id"> = {
      at: this.clock.now(),
      type,
      sid: s.sid,
      userDn: s.userDn,
      username: s.attributes.auth_user ?? null,
      clientId: s.attributes.client_id ?? null,
      actorType: actor.type,
      actor: actor.id ?? null,
      remoteIp: actor.ip ?? s.attributes.remote_ip ?? null,
      detail,
    };
    const id = await this.store.events.append(event);
    this.webhooks.dispatch({ ...event, id });
    if (type === "authenticated" && s.userDn)
      await checkIpSpread(this.store, this.clock, this.config, {
        userDn: s.userDn,
        username: event.username,
      });
  }

  /** An event about an account rather than a session (a refused sign-in, a lock). */
  async emitAccount(
    type: SessionEventType,
    who: { userDn: string | null; username: string },
    actor: Actor,
    detail: Record<string, string> = {},
  ): Promise<void> {
    const event: Omit<SessionEvent, "id"> = {
      at: this.clock.now(),
      type,
      sid: null,
      userDn: who.userDn,
      username: who.username,
      clientId: null,
      actorType: actor.type,
      actor: actor.id ?? null,
      remoteIp: actor.ip ?? null,
      detail,
    };
    const id = await this.store.events.append(event);
    this.webhooks.dispatch({ ...event, id });
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
