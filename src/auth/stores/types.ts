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

export class StoreError extends Error {
  override name = "StoreError";
}
