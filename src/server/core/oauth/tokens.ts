import { createPrivateKey, type KeyObject, type JsonWebKey as NodeJsonWebKey, randomUUID } from "node:crypto";
import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import type { SigningKeyRecord, Store } from "../../store/types.js";
import type { Clock } from "../clock.js";
import { compactSign } from "./jws.js";

export interface AccessClaims {
  clientId: string;
  subject: string;
  scopes: Set<string>;
  jti: string;
  /** Epoch ms. */
  exp: number;
  /** Epoch ms (whole seconds). */
  iat: number;
  /** The session the token is bound to, when it came from one. */
  sid?: string;
  /** The grant family (a code's or a device approval's refresh chain) it belongs to. */
  fam?: string;
}

/** What decides whether an issued token is still live: who, for whom, when, and what it is bound to. */
export type LivenessClaims = Pick<AccessClaims, "clientId" | "subject" | "jti" | "iat" | "sid" | "fam">;

export type VerifyResult =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: "invalid" | "expired" | "revoked" };

type Key = CryptoKey | Uint8Array;

const ALG = "EdDSA";
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
const CACHE_LIMIT = 10_000;

/**
 * Signs and verifies the server's JWTs (access tokens, id_tokens, signed userinfo) with keys kept
 * in the store. Verification finds the key by kid, also one another instance created.
 */
export class TokenService {
  private readonly verified = new Map<string, AccessClaims>();
  private readonly publicKeys = new Map<string, Key>();

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly issuerUrl: string,
    private readonly kid: string,
    private readonly privateKey: Key,
    readonly publicJwk: JWK,
    /** The same private key for node:crypto, which signs the tokens issued per request. */
    private readonly signingKey: KeyObject,
  ) {}

  /** Loads the signing key from the store, creating one on first start. */
  static async open(store: Store, clock: Clock, issuer: string): Promise<TokenService> {
    let rec = await store.keys.current();
    if (!rec) {
      const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
      const kid = randomUUID();
      await store.keys.insert({
        kid,
        privateJwk: JSON.stringify(await exportJWK(privateKey)),
        publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" }),
        createdAt: clock.now(),
      });
      // Two instances starting together agree on the newest key.
      rec = (await store.keys.current()) as SigningKeyRecord;
    }
    const publicJwk = JSON.parse(rec.publicJwk) as JWK;
    const service = new TokenService(
      store,
      clock,
      issuer,
      rec.kid,
      await importJWK(JSON.parse(rec.privateJwk) as JWK, ALG),
      publicJwk,
      createPrivateKey({ key: JSON.parse(rec.privateJwk) as NodeJsonWebKey, format: "jwk" }),
    );
    service.publicKeys.set(rec.kid, await importJWK(publicJwk, ALG));
    return service;
  }

  get issuer(): string {
    return this.issuerUrl;
  }

  /** The audience of our access tokens: this server's own APIs. */
  get audience(): string {
    return this.issuer;
  }

  /** Every public key, for the JWKS endpoint. */
  async jwks(): Promise<JWK[]> {
    return (await this.store.keys.all()).map((k) => JSON.parse(k.publicJwk) as JWK);
  }

  private async keyFor(token: string): Promise<Key> {
    const { kid } = decodeProtectedHeader(token);
    if (typeof kid !== "string") throw new Error("no kid");
    const known = this.publicKeys.get(kid);
    if (known) return known;
    const rec = await this.store.keys.get(kid);
    if (!rec) throw new Error("unknown kid");
    const key = await importJWK(JSON.parse(rec.publicJwk) as JWK, ALG);
    this.publicKeys.set(kid, key);
    return key;
  }

  private sign(
    claims: JWTPayload,
    typ: string,
    audience: string,
    lifetimeSeconds: number,
    subject: string,
  ): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const payload = {
      ...claims,
      iss: this.issuer,
      aud: audience,
      sub: subject,
      iat: now,
      exp: now + lifetimeSeconds,
      jti: randomUUID(),
    };
    return Promise.resolve(compactSign({ alg: ALG, kid: this.kid, typ }, payload, this.signingKey));
  }

  async issue(
    clientId: string,
    scopes: string[],
    lifetimeSeconds: number,
    subject = clientId,
    sid?: string,
    fam?: string,
  ): Promise<string> {
    const claims = {
      scope: scopes.join(" "),
      client_id: clientId,
      ...(sid ? { sid } : {}),
      ...(fam ? { fam } : {}),
    };
    return this.sign(claims, "at+jwt", this.audience, lifetimeSeconds, subject);
  }

  /** An OpenID Connect id_token for a client. */
  idToken(
    clientId: string,
    subject: string,
    claims: { sid: string; auth_time: number; acr: string; nonce?: string | null },
    lifetimeSeconds: number,
  ): Promise<string> {
    const { nonce, ...rest } = claims;
    return this.sign({ ...rest, ...(nonce ? { nonce } : {}) }, "JWT", clientId, lifetimeSeconds, subject);
  }

  /** userinfo as a signed JWT (for clients registered for it). */
  userinfoJwt(clientId: string, claims: Record<string, unknown> & { sub: string }, lifetimeSeconds: number) {
    const { sub, ...rest } = claims;
    return this.sign(rest, "userinfo+jwt", clientId, lifetimeSeconds, sub);
  }

  /**
   * An OpenID Back-Channel Logout 1.0 logout token: `sub` and `sid`, the back-channel event, never
   * a nonce; `jti` is the delivery's own, so a retry repeats it and the RP can drop the repeat.
   */
  logoutToken(
    clientId: string,
    claims: { jti: string; sub?: string; sid?: string },
    lifetimeSeconds: number,
  ): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const { jti, ...who } = claims;
    return new SignJWT({ ...who, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } })
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: "logout+jwt" })
      .setIssuer(this.issuer)
      .setAudience(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(jti)
      .sign(this.privateKey);
  }

  /** A Security Event Token (RFC 8417, SSF 1.0): `sub_id` and `events`, typ secevent+jwt, no exp. */
  securityEvent(
    audience: string,
    jti: string,
    claims: { sub_id: unknown; events: unknown },
  ): Promise<string> {
    return new SignJWT(claims as JWTPayload)
      .setProtectedHeader({ alg: ALG, kid: this.kid, typ: "secevent+jwt" })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt(Math.floor(this.clock.now() / 1000))
      .setJti(jti)
      .sign(this.privateKey);
  }

  /** A JWT we signed for this audience; with `allowExpired`, an expired one too (id_token_hint). */
  async verifyOwn(
    token: string,
    audience: string | undefined,
    opts: { typ?: string; allowExpired?: boolean } = {},
  ) {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, await this.keyFor(token), {
        issuer: this.issuer,
        algorithms: [ALG],
        ...(audience ? { audience } : {}),
        currentDate: new Date(opts.allowExpired ? 0 : this.clock.now()),
        requiredClaims: ["exp", "iat", "sub"],
      });
      if (opts.typ && protectedHeader.typ !== opts.typ) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  /** Signature, issuer, our audience, and exp (required); memoised, since signatures dominate. */
  private async claimsOf(token: string): Promise<AccessClaims | "expired" | "invalid"> {
    const memo = this.verified.get(token);
    if (memo) return memo;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, await this.keyFor(token), {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: [ALG],
        requiredClaims: ["exp", "iat", "jti", "sub"],
        currentDate: new Date(this.clock.now()),
      });
      if (protectedHeader.typ !== "at+jwt") return "invalid";
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
        ...(typeof payload.sid === "string" ? { sid: payload.sid } : {}),
        ...(typeof payload.fam === "string" ? { fam: payload.fam } : {}),
      };
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(token, claims);
      return claims;
    } catch (err) {
      return (err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid";
    }
  }

  /**
   * An access token, checked on every request: signature and claims, then one store lookup for a
   * revocation of its jti or of the session it is bound to, so an ended session's tokens are
   * refused on their very next use, on every instance.
   */
  async verify(token: string): Promise<VerifyResult> {
    const claims = await this.claimsOf(token);
    if (typeof claims === "string") return { ok: false, reason: claims };
    if (claims.exp <= this.clock.now()) return { ok: false, reason: "expired" };
    return (await this.isLive(claims)) ? { ok: true, claims } : { ok: false, reason: "revoked" };
  }

  /**
   * Not revoked: its jti, its session, its grant family, and (for a person's token) everything the
   * person had before their account or password changed.
   */
  async isLive(claims: LivenessClaims): Promise<boolean> {
    const keys = [claims.jti];
    if (claims.sid) keys.push(`sid:${claims.sid}`);
    if (claims.fam) keys.push(`fam:${claims.fam}`);
    // A person's tokens end with their account or password (client tokens have sub = client_id);
    // one store read answers both.
    const person =
      claims.subject === claims.clientId ? undefined : { subject: claims.subject, issuedAt: claims.iat };
    return !(await this.store.revocations.isTokenRevoked(keys, person));
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
