import { type Context, Hono } from "hono";
import type { AccessClaims } from "../../core/oauth/tokens.js";
import type { SessionRecord } from "../../store/types.js";

// The typed context variables every face shares (hono's `Variables`): set by the kit's
// middleware, read with c.get, so no face casts its way to them.

/** An admin's console session, as the console's pages see it. */
export interface Signed {
  claims: AccessClaims;
  /** The console's own session (listed, audited and terminable like any other). */
  session: SessionRecord;
  token: string;
  name: string;
  canWrite: boolean;
}

export interface FaceVariables {
  /** The verified access token's claims (bearerAuth, adminAuth). */
  claims?: AccessClaims;
  /** The admin pages' signed-in console session. */
  signed?: Signed;
  /** The CSRF token issued with this response, so every form on a page carries the same one. */
  csrfIssued?: string;
}

export type FaceEnv = { Variables: FaceVariables };
export type FaceContext = Context<FaceEnv>;

/** A face's router, with the kit's typed variables. */
export const face = () => new Hono<FaceEnv>();
