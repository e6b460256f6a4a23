import type { OutboxRecord, Store } from "../../store/types.js";
import type { Clock } from "../clock.js";
import type { ServerConfig } from "../config.js";
import type { SessionEvents } from "../events.js";
import type { Logger } from "../log.js";
import type { TokenService } from "../oauth/tokens.js";
import { expandFanout, loadRelying } from "./intents.js";

/** How deliveries reach relying parties and receivers (global fetch by default; tests inject). */
export interface DeliveryIO {
  fetch: (
    url: string,
    init: {
      method: "POST";
      headers: Record<string, string>;
      body: string;
      signal: AbortSignal;
      redirect: "manual";
    },
  ) => Promise<{ status: number }>;
}

/** One attempt's outcome: delivered, or why not (never the token itself). */
type Attempt = { ok: true; outcome: string } | { ok: false; outcome: string; final?: boolean };

const BATCH = 50;
const TIMEOUT_MS = 5000;

/**
 * Sends what the outbox holds in the background: claims due rows (a lease, so several instances
 * never send one twice at once), signs each at send time with the jti fixed when it was written,
 * POSTs it only to the URI registered for its target, and settles it: delivered on a 2xx, else
 * retried with exponential backoff until the attempts run out. Every attempt goes to the audit.
 */
export class OutboxDispatcher {
  private running: Promise<void> | undefined;
  private again = false;
  /** Only a started dispatcher sends on a kick (a one-shot CLI command leaves rows to the server). */
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly config: ServerConfig,
    private readonly events: SessionEvents,
    private readonly log: Logger,
    private readonly io: DeliveryIO,
  ) {}

  /** Polls every outboxPollInterval; returns the stop function. */
  start(): () => void {
    this.started = true;
    const timer = setInterval(() => this.kick(), this.config.outboxPollInterval);
    timer.unref();
    this.kick();
    return () => {
      this.started = false;
      clearInterval(timer);
    };
  }

  /**
   * Runs the dispatcher soon (an ending just wrote rows); never waits for it. It starts on the
   * next turn of the event loop, so the request that ended the session is answered first.
   */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .then(() => undefined)
      .catch((err) => this.log.error("outbox dispatch failed", { error: (err as Error).message }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once no dispatch is running (tests, graceful stop). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Delivers every due row, batch after batch; how many were attempted. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const now = this.clock.now();
      const rows = await this.store.outbox.claim(now, now + this.config.outboxLease, BATCH);
      await Promise.all(rows.map((o) => (o.kind === "fanout" ? this.expand(o) : this.attempt(o))));
      n += rows.length;
      // An expanded fanout row made deliveries due now: go round again.
      if (rows.length < BATCH && !rows.some((o) => o.kind === "fanout")) return n;
    }
  }

  /** Writes a fanout row's deliveries (idempotent), then marks it done. */
  private async expand(o: OutboxRecord): Promise<void> {
    const rows = expandFanout(await loadRelying(this.store, this.tokens.issuer), o);
    await this.store.outbox.expand(rows);
    const outcome = `expanded into ${rows.length}`;
    await this.store.outbox.settle(o.id, { state: "delivered", nextAttemptAt: this.clock.now(), outcome });
  }

  private async attempt(o: OutboxRecord): Promise<void> {
    const result = await this.deliver(o).catch((err: Error): Attempt => ({ ok: false, outcome: err.name }));
    const now = this.clock.now();
    const final = result.ok || result.final === true || o.attempts >= this.config.outboxAttempts;
    const backoff = Math.min(this.config.outboxRetryBase * 2 ** (o.attempts - 1), this.config.outboxRetryMax);
    const state = result.ok ? "delivered" : final ? "failed" : "pending";
    await this.store.outbox.settle(o.id, {
      state,
      nextAttemptAt: final ? now : now + backoff,
      outcome: result.outcome,
    });
    await this.events.delivery(o, { attempt: String(o.attempts), outcome: result.outcome, state });
  }

  private async deliver(o: OutboxRecord): Promise<Attempt> {
    if (o.kind === "backchannel") return this.logout(o);
    return this.push(o);
  }

  private async logout(o: OutboxRecord): Promise<Attempt> {
    const client = await this.store.clients.get(o.target);
    const uri = client?.backchannelLogoutUri;
    if (!client || !uri) return { ok: false, outcome: "no backchannel_logout_uri", final: true };
    const { sub, sid } = o.payload as { sub?: string; sid?: string };
    const token = await this.tokens.logoutToken(
      client.clientId,
      { jti: o.id, ...(sub ? { sub } : {}), ...(sid ? { sid } : {}) },
      this.config.logoutTokenLifetime,
    );
    const body = new URLSearchParams({ logout_token: token }).toString();
    return this.post(uri, { "content-type": "application/x-www-form-urlencoded" }, body);
  }

  private async push(o: OutboxRecord): Promise<Attempt> {
    const stream = await this.store.streams.get(o.target);
    if (!stream?.endpointUrl || stream.method !== "push" || stream.status === "disabled")
      return { ok: false, outcome: "stream gone or not pushed", final: true };
    const { sub_id, events } = o.payload as { sub_id: unknown; events: unknown };
    const set = await this.tokens.securityEvent(stream.audience, o.id, { sub_id, events });
    const headers: Record<string, string> = {
      "content-type": "application/secevent+jwt",
      accept: "application/json",
    };
    if (stream.authorizationHeader) headers.authorization = stream.authorizationHeader;
    return this.post(stream.endpointUrl, headers, set);
  }

  /** One POST; redirects are not followed (a delivery goes to the registered URI, nowhere else). */
  private async post(url: string, headers: Record<string, string>, body: string): Promise<Attempt> {
    try {
      const res = await this.io.fetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: "manual",
      });
      const ok = res.status >= 200 && res.status < 300;
      return { ok, outcome: `HTTP ${res.status}` };
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string };
      return { ok: false, outcome: e.cause?.code ?? e.name ?? "error" };
    }
  }
}
