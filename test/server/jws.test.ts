import { generateKeyPairSync } from "node:crypto";
import { compactVerify, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { compactSign } from "../../src/server/core/oauth/jws.js";

// Tokens signed through node:crypto verify with jose as the EdDSA JWS they were with jose.
describe("compactSign", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const payload = { sub: "u", aud: "https://rp.example", exp: 2_000_000_000, name: "Zoë ✓" };

  it("verifies with the public key, header and payload as given", async () => {
    const jws = compactSign({ alg: "EdDSA", kid: "k1", typ: "at+jwt" }, payload, privateKey);
    const { payload: bytes, protectedHeader } = await compactVerify(jws, publicKey);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(payload);
    expect(protectedHeader).toEqual({ alg: "EdDSA", kid: "k1", typ: "at+jwt" });
    expect(decodeProtectedHeader(jws).kid).toBe("k1");
  });

  it("fails verification with another key, or with a changed payload", async () => {
    const jws = compactSign({ alg: "EdDSA" }, payload, privateKey);
    const other = generateKeyPairSync("ed25519").publicKey;
    await expect(compactVerify(jws, other)).rejects.toThrow();
    const [h, , sig] = jws.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: "admin" })).toString("base64url")}.${sig}`;
    await expect(compactVerify(forged, publicKey)).rejects.toThrow();
  });
});
