import { ConfigError } from "../../platform/errors.js";
import type { StoredToken } from "../stored-token.js";

export type StoreKind = "keychain" | "file" | "none";

/** Where cached tokens live. Every method resolves; failures surface as StoreError. */
export interface TokenStore {
  readonly kind: StoreKind;
  /** A human-readable location for `auth status` (never the token). */
  readonly location: string;
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(): Promise<[string, StoredToken][]>;
}

/** The token store cannot be used; a configuration problem (exit 3) unless a fallback takes over. */
export class StoreError extends ConfigError {
  override name = "StoreError";
}
