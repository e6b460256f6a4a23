import { randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from "jose";
import type { Store } from "../../store/types.js";
import type { Clock } from "../clock.js";

export interface AccessClaims {
  clientId: string;
  subject: string;
  scopes: Set<string>;
  jti: string;
  /** Epoch ms. */
  exp: number;
  /** Epoch ms (whole seconds). */
  iat: number;
}

export type VerifyResult =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: "invalid" | "expired" | "revoked" };

const ALG = "EdDSA";
const CACHE_LIMIT = 10_000;

/** Signs and verifies the admin API's JWT access tokens with a key kept in the store. */
export class TokenService {
  private readonly verified = new Map<string, AccessClaims>();

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly issuer: string,
    private readonly kid: string,
    private readonly privateKey: CryptoKey | Uint8Array,
    private readonly publicKey: CryptoKey | Uint8Array,
    readonly publicJwk: JWK,
  ) {}

  /** Loads the signing key from the store, creating one on first start. */
  static async open(store: Store, clock: Clock, issuer: string): Promise<TokenService> {
    let rec = await store.keys.current();
    if (!rec) {
      const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
      const kid = randomUUID();
      rec = {
        kid,
        privateJwk: JSON.stringify(await exportJWK(privateKey)),
        publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" }),
        createdAt: clock.now(),
      };
      await store.keys.insert(rec);
    }
    const publicJwk = JSON.parse(rec.publicJwk) as JWK;
    return new TokenService(
      store,
      clock,
      issuer,
      rec.kid,
      await importJWK(JSON.parse(rec.privateJwk) as JWK, ALG),
      await importJWK(publicJwk, ALG),
      publicJwk,
    );
  }

  /** The audience of our access tokens: this server's own APIs. */
  get audience(): string {
    return this.issuer;
  }

  async issue(
    clientId: string,
    scopes: string[],
    lifetimeSeconds: number,
    subject = clientId,
  ): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    return new SignJWT({ scope: scopes.join(" "), client_id: clientId })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: "at+jwt" })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  /** Signature, issuer, our audience, and exp (required); memoised, since signatures dominate. */
  private async claimsOf(token: string): Promise<AccessClaims | "expired" | "invalid"> {
    const memo = this.verified.get(token);
    if (memo) return memo;
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: [ALG],
        requiredClaims: ["exp", "iat", "jti", "sub"],
        currentDate: new Date(this.clock.now()),
      });
      const claims: AccessClaims = {
        clientId: String(payload.client_id ?? payload.sub),
        subject: String(payload.sub),
        scopes: new Set(
          String(payload.scope ?? "")
            .split(" ")
            .filter(Boolean),
        ),
        jti: String(payload.jti),
        exp: Number(payload.exp) * 1000,
        iat: Number(payload.iat) * 1000,
      };
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(token, claims);
      return claims;
    } catch (err) {
      return (err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid";
    }
  }

  async verify(token: string): Promise<VerifyResult> {
    const claims = await this.claimsOf(token);
    if (typeof claims === "string") return { ok: false, reason: claims };
    if (claims.exp <= this.clock.now()) return { ok: false, reason: "expired" };
    if (await this.store.revocations.isRevoked(claims.jti)) return { ok: false, reason: "revoked" };
    // A person's tokens end with their account or password (client tokens have sub = client_id).
    if (claims.subject !== claims.clientId) {
      const before = await this.store.revocations.subjectRevokedBefore(claims.subject);
      if (before !== undefined && claims.iat <= before) return { ok: false, reason: "revoked" };
    }
    return { ok: true, claims };
  }

  /** Revokes a token this server issued; unknown or foreign tokens are ignored (RFC 7009). */
  async revoke(token: string, clientId: string): Promise<void> {
    const result = await this.verify(token);
    if (result.ok && result.claims.clientId === clientId) {
      await this.store.revocations.revoke(result.claims.jti, result.claims.exp);
      this.verified.delete(token);
    }
  }
}
