// Minimal Request/Response/Headers for openapi-fetch's injected `Request` and `fetch`.
// Node's globals come from undici, whose first use costs ~30 ms of start-up (measured with
// hyperfine: `new Headers()` 111 ms vs `node -e 0` 77 ms); a CLI that runs one request per
// process cannot afford that, so requests go over node:http with these small classes.

export class LiteHeaders {
  private readonly map = new Map<string, [string, string]>();

  constructor(init?: HeadersInit | LiteHeaders | Record<string, string>) {
    if (!init) return;
    if (init instanceof LiteHeaders) {
      for (const [k, v] of init.entries()) this.set(k, v);
    } else if (Array.isArray(init)) {
      for (const [k, v] of init) this.append(k!, v!);
    } else if (typeof (init as { forEach?: unknown }).forEach === "function" && !Array.isArray(init)) {
      (init as Headers).forEach((v, k) => {
        this.append(k, v);
      });
    } else {
      for (const [k, v] of Object.entries(init as Record<string, string>)) this.set(k, v);
    }
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase())?.[1] ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), [name, String(value)]);
  }
  append(name: string, value: string): void {
    const prev = this.get(name);
    this.set(name, prev === null ? value : `${prev}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [k, [, v]] of this.map) fn(v, k);
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [k, [, v]] of this.map) yield [k, v];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  toObject(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }
}

export type LiteBody = string | Uint8Array | undefined;

export interface LiteRequestInit {
  method?: string;
  headers?: HeadersInit | LiteHeaders | Record<string, string>;
  body?: unknown;
  redirect?: string;
}

export class LiteRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: LiteHeaders;
  readonly body: LiteBody;

  constructor(url: string | URL, init: LiteRequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = new LiteHeaders(init.headers);
    const b = init.body;
    this.body =
      b === undefined || b === null
        ? undefined
        : typeof b === "string" || b instanceof Uint8Array
          ? b
          : String(b);
  }
}

export class LiteResponse {
  readonly ok: boolean;
  readonly headers: LiteHeaders;
  readonly body: null = null;

  constructor(
    private readonly raw: Buffer,
    readonly status: number,
    readonly statusText: string,
    headers: LiteHeaders,
    readonly url = "",
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = headers;
  }

  async text(): Promise<string> {
    return this.raw.toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.raw.toString("utf8"));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.raw.buffer.slice(
      this.raw.byteOffset,
      this.raw.byteOffset + this.raw.byteLength,
    ) as ArrayBuffer;
  }
  bytes(): Buffer {
    return this.raw;
  }
  clone(): LiteResponse {
    return new LiteResponse(this.raw, this.status, this.statusText, this.headers, this.url);
  }
}

/** What openapi-fetch calls as `fetch`. */
export type LiteFetch = (req: LiteRequest) => Promise<LiteResponse>;
