import { existsSync, readFileSync, renameSync } from "node:fs";
import { writeFileAtomic } from "../../platform/atomic-write.js";
import { withFileLock } from "../lock.js";
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
    /** One line for the person: a corrupt cache set aside. */
    private readonly warn: (line: string) => void = () => {},
  ) {}

  private read(): Entries {
    let text: string;
    try {
      text = readFileSync(this.location, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new StoreError(
        `cannot read token cache ${this.location}: ${(err as NodeJS.ErrnoException).code}`,
      );
    }
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Entries;
    } catch {
      // fall through: corrupt
    }
    // A corrupt cache is only a cache: kept aside for a look, never a dead end.
    const aside = `${this.location}.corrupt-${Date.now()}`;
    try {
      renameSync(this.location, aside);
      this.warn(
        `warning: the token cache ${this.location} was unreadable; moved it to ${aside} and started afresh`,
      );
    } catch {
      // Someone else moved it first.
    }
    return {};
  }

  /** Read, change and write under a lock, so parallel processes never lose each other's entries. */
  private update(change: (entries: Entries) => boolean): Promise<boolean> {
    return withFileLock(`${this.location}.lock`, async () => {
      const entries = this.read();
      const changed = change(entries);
      if (changed) this.write(entries);
      return changed;
    });
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
    const entries = this.read();
    const e = Object.hasOwn(entries, key) ? entries[key] : undefined;
    // An entry of another shape (hand-edited, another version) is a miss, not a crash.
    return e && typeof e === "object" && typeof e.accessToken === "string" ? e : undefined;
  }

  async set(key: string, token: StoredToken): Promise<void> {
    await this.update((entries) => {
      entries[key] = token;
      return true;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.update((entries) => {
      if (!Object.hasOwn(entries, key)) return false;
      delete entries[key];
      return true;
    });
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
