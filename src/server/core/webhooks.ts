import { createHmac, randomUUID } from "node:crypto";
import type { SessionEvent } from "../store/types.js";
import type { Logger } from "./log.js";

/** A receiver of session events, from the config file. */
export interface Webhook {
  url: string;
  /** HMAC-SHA256 key; the receiver checks X-Opcli-Signature with it. */
  secret: string;
  /** Only these event types (all when absent). */
  events?: SessionEvent["type"][];
}

export interface WebhookIO {
  fetch: (
    url: string,
    init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
  ) => Promise<{ status: number }>;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: a receiver recomputes it and compares. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

export const WEBHOOK_ATTEMPTS = 6;

/**
 * Delivers events to webhooks in the background: a request that emits an event never waits for
 * a receiver. Each delivery is retried with exponential backoff (base, 2x, 4x, ...) until a 2xx or
 * the attempts run out; the event's id lets a receiver drop a repeat.
 */
export class WebhookDispatcher {
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly hooks: readonly Webhook[],
    private readonly io: WebhookIO,
    private readonly log: Logger,
    private readonly baseDelayMs = 1000,
  ) {}

  /** Queues an event for every webhook that wants it; returns at once. */
  dispatch(event: SessionEvent): void {
    for (const hook of this.hooks) {
      if (hook.events && !hook.events.includes(event.type)) continue;
      this.inFlight++;
      void this.deliver(hook, event).finally(() => {
        if (--this.inFlight === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  /** Resolves once nothing is being delivered (tests, graceful stop). */
  settled(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((r) => this.idle.push(r));
  }

  private async deliver(hook: Webhook, event: SessionEvent): Promise<void> {
    const body = JSON.stringify({ ...event, id: `evt-${event.id}`, delivery: randomUUID() });
    for (let attempt = 0; attempt < WEBHOOK_ATTEMPTS; attempt++) {
      if (attempt > 0) await this.io.sleep(this.baseDelayMs * 2 ** (attempt - 1));
      try {
        const t = Math.floor(this.io.now() / 1000);
        const res = await this.io.fetch(hook.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-opcli-signature": signature(hook.secret, body, t),
          },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (res.status >= 200 && res.status < 300) return;
      } catch {
        // A receiver that is down is retried like one that refused.
      }
    }
    this.log.warn("webhook delivery gave up", { event: event.id, attempts: WEBHOOK_ATTEMPTS });
  }
}
