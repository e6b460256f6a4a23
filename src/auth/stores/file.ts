import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../../platform/atomic-write.js";
import type { StoredToken } from "../stored-token.js";
import { StoreError, type TokenStore } from "./types.js";

type Entries = Record<string, StoredToken>;

/** Tokens in one JSON file, mode 0600, replaced atomically (write to a temp file, rename). */
export class FileTokenStore implements TokenStore {
  readonly kind = "file";

  constructor(
    readonly location: string,
    /** Called once when the file is first created (the fallback warning). */
    private readonly onCreate?: () => void,
  ) {}

  private read(): Entries {
    try {
      return JSON.parse(readFileSync(this.location, "utf8")) as Entries;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      // A corrupt cache is only a cache: start afresh rather than fail the command.
      return {};
    }
  }

  private write(entries: Entries): void {
    try {
      const created = !existsSync(this.location);
      writeFileAtomic(this.location, JSON.stringify(entries), 0o600);
      if (created) this.onCreate?.();
    } catch (err) {
      throw new StoreError(
        `cannot write token cache ${this.location}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.read()[key];
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.write({ ...this.read(), [key]: token });
  }

  async delete(key: string): Promise<boolean> {
    const entries = this.read();
    if (!(key in entries)) return false;
    delete entries[key];
    this.write(entries);
    return true;
  }

  async list(): Promise<[string, StoredToken][]> {
    return Object.entries(this.read());
  }
}

/** OPCLI_TOKEN_STORE=none: nothing is kept between invocations. */
export class NoTokenStore implements TokenStore {
  readonly kind = "none";
  readonly location = "nowhere (OPCLI_TOKEN_STORE=none)";
  async get(): Promise<StoredToken | undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async delete(): Promise<boolean> {
    return false;
  }
  async list(): Promise<[string, StoredToken][]> {
    return [];
  }
}
