import { parseStoreSetting, type StoreSetting } from "../auth/stores/select.js";
import { ConfigError } from "../platform/errors.js";
import { type Profile, readConfigFile, selectProfile } from "./config-file.js";
import type { ClientIO, ClientOptions } from "./options.js";

/** The effective settings of one client: options over environment over profile. */
export interface Settings {
  profile: Profile & { profileName?: string };
  spec: string | undefined;
  host: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** `env:NAME` or `keychain:NAME`, read only when the secret is needed. */
  clientSecretRef: string | undefined;
  accessToken: string | undefined;
  tokenUrl: string | undefined;
  scopes: string[] | undefined;
  caFile: string | undefined;
  certFile: string | undefined;
  keyFile: string | undefined;
  insecure: boolean;
  tokenStore: StoreSetting;
}

const nonEmpty = (v: string | undefined) => (v === "" ? undefined : v);

/** The token given by value or @file, trimmed. */
function readToken(raw: string | undefined, io: ClientIO): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!raw.startsWith("@")) return raw.trim();
  try {
    return io.readFile(raw.slice(1)).trim();
  } catch (err) {
    throw new ConfigError(
      `cannot read access token file ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
}

function tokenStoreSetting(opts: ClientOptions, env: ClientIO["env"], profile: Profile): StoreSetting {
  if (opts.tokenStore) return opts.tokenStore;
  const [raw, source] =
    env.OPCLI_TOKEN_STORE !== undefined
      ? [env.OPCLI_TOKEN_STORE, "OPCLI_TOKEN_STORE"]
      : [profile.tokenStore, "the config file's tokenStore"];
  const setting = parseStoreSetting(raw);
  if (!setting) throw new ConfigError(`${source} must be auto, keychain, file or none, not "${raw}"`);
  return setting;
}

export function resolveSettings(opts: ClientOptions, io: ClientIO): Settings {
  const { env } = io;
  const file = readConfigFile(env, io.readFile);
  const profile = selectProfile(file, opts.profile ?? nonEmpty(env.OPCLI_PROFILE));
  return {
    profile,
    spec: opts.spec ?? nonEmpty(env.OPCLI_SPEC) ?? profile.spec,
    host: nonEmpty(opts.host) ?? nonEmpty(env.OPCLI_HOST) ?? profile.host,
    clientId: opts.clientId ?? nonEmpty(env.OPCLI_CLIENT_ID) ?? profile.clientId,
    clientSecret: opts.clientSecret ?? env.OPCLI_CLIENT_SECRET ?? profile.clientSecret,
    clientSecretRef: profile.clientSecretRef,
    accessToken: readToken(opts.accessToken ?? env.OPCLI_ACCESS_TOKEN, io),
    tokenUrl: opts.tokenUrl ?? profile.tokenUrl,
    scopes: opts.scopes,
    caFile: opts.caFile ?? profile.caFile,
    certFile: opts.certFile ?? profile.certFile,
    keyFile: opts.keyFile ?? profile.keyFile,
    insecure: opts.insecure === true || profile.insecure === true,
    tokenStore: tokenStoreSetting(opts, env, profile),
  };
}
