import { type KeyObject, sign } from "node:crypto";

/**
 * A compact JWS signed with node:crypto, synchronously: jose signs through WebCrypto, whose
 * promise-and-CryptoKey machinery costs more than the Ed25519 signature itself on the token path.
 * The header and payload are JSON objects; the key's type picks the algorithm (Ed25519: EdDSA).
 */
export function compactSign(header: object, payload: object, key: KeyObject): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}
