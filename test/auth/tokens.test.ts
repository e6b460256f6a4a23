import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { submitForm } from "../helpers/browser-forms.js";
import { makeCerts } from "../helpers/certs.js";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { capturedOutputs, isolatedEnv, runOpcli, runOpcliInPty, tokenOutputs } from "../helpers/run-opcli.js";
import {
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  serverStats,
  startServer,
} from "../helpers/spawn-server.js";

// One suite, two runs: normally with no Secret Service (the file fallback and its warning),
// and under dbus-run-session with gnome-keyring (OPCLI_TEST_KEYCHAIN=1, see scripts/run-tests.mjs).
const KEYCHAIN = process.env.OPCLI_TEST_KEYCHAIN === "1";
const PASSWORD = "token-suite-password";

let s: RunningServer;
let echo: EchoServer;
let userDn: string;

/** A fresh HOME with the automatic store choice: keychain when the suite has one, else file. */
function autoEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = isolatedEnv({
    OPCLI_HOST: s.url,
    OPCLI_CLIENT_ID: s.admin.client_id,
    OPCLI_CLIENT_SECRET: s.admin.client_secret,
    ...extra,
  });
  delete env.OPCLI_TOKEN_STORE;
  if (KEYCHAIN && process.env.DBUS_SESSION_BUS_ADDRESS)
    env.DBUS_SESSION_BUS_ADDRESS = process.env.DBUS_SESSION_BUS_ADDRESS;
  return env;
}

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024, deviceCodeInterval: 1 });
  echo = await startEcho();
  const out = execFileSync(
    process.execPath,
    // A reader: the device sign-in asks for session scopes, which a person needs a role for.
    [
      SERVER_BIN,
      "user",
      "create",
      "--username",
      "tess",
      "--role",
      "api-viewer",
      "--password-stdin",
      "--db",
      s.db,
    ],
    {
      input: `${PASSWORD}\n`,
    },
  );
  userDn = (JSON.parse(out.toString()) as { dn: string }).dn;
  await loginOverHttp(s, "tess", PASSWORD);
});
afterAll(async () => {
  await s?.stop();
  await echo?.close();
});

/** The keychain is one per user, not per HOME: empty it between tests that need an empty cache. */
async function clearKeychain(): Promise<void> {
  if (!KEYCHAIN) return;
  const { findCredentials, Entry } = await import("@napi-rs/keyring");
  for (const c of findCredentials("opcli")) {
    new Entry("opcli", c.account, { linux: { store: "secret-service" } }).deletePassword();
  }
}

beforeEach(clearKeychain);

describe(`token cache (${KEYCHAIN ? "OS keychain" : "file fallback"})`, () => {
  it("stores a token on first use, reuses it after, and says where it lives", async () => {
    const env = autoEnv();
    const before = (await serverStats(s)).tokenGrants;
    const first = await runOpcli(["--operation-id", "get-sessions"], { env });
    expect(first.code).toBe(0);
    const second = await runOpcli(["--operation-id", "get-sessions"], { env });
    expect(second.code).toBe(0);
    expect((await serverStats(s)).tokenGrants - before).toBe(1);
    const file = join(env.HOME!, ".cache", "opcli", "tokens.json");
    if (KEYCHAIN) {
      expect(first.stderr).toBe("");
      expect(existsSync(file)).toBe(false);
      const { findCredentials } = await import("@napi-rs/keyring");
      expect(findCredentials("opcli").length).toBeGreaterThan(0);
    } else {
      expect(first.stderr).toMatch(
        /^opcli: warning: no usable OS keychain \(no D-Bus session\); caching tokens in .*tokens\.json \(mode 0600\)/,
      );
      expect(second.stderr).toBe("");
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const status = await runOpcli(["auth", "status"], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`client: ${s.admin.client_id}`);
    expect(status.stdout).toContain(
      KEYCHAIN ? "token store: OS keychain (Secret Service)" : `token store: ${file}`,
    );
    expect(status.stdout).toMatch(
      /cached token \(client_credentials\): expires in \d+ s .*; scopes: https:\/\/jans\.io\/oauth\/jans-auth-server\/session\.readonly/,
    );
  });

  it("20 parallel processes on an empty cache make one client-credentials grant", async () => {
    const env = autoEnv();
    const before = (await serverStats(s)).tokenGrants;
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => runOpcli(["--operation-id", "get-sessions"], { env })),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(20).fill(0));
    expect((await serverStats(s)).tokenGrants - before).toBe(1);
  });

  it("re-fetches a token within 60 s of its expiry", async () => {
    const short = await startServer({ passwordHashCost: 1024, accessTokenLifetime: 64 });
    try {
      const env = autoEnv({
        OPCLI_HOST: short.url,
        OPCLI_CLIENT_ID: short.admin.client_id,
        OPCLI_CLIENT_SECRET: short.admin.client_secret,
      });
      const base = (await serverStats(short)).tokenGrants; // the counters' own reading token
      const t0 = Date.now();
      expect((await runOpcli(["--operation-id", "get-sessions"], { env })).code).toBe(0);
      expect((await runOpcli(["--operation-id", "get-sessions"], { env })).code).toBe(0);
      const early = await serverStats(short);
      // Fresh until 4 s after issue (64 s lifetime, 60 s margin): both calls shared one grant.
      if (Date.now() - t0 < 3500) expect(early.tokenGrants).toBe(base + 1);
      await new Promise((r) => setTimeout(r, Math.max(0, 4500 - (Date.now() - t0))));
      expect((await runOpcli(["--operation-id", "get-sessions"], { env })).code).toBe(0);
      expect((await serverStats(short)).tokenGrants).toBe(early.tokenGrants + 1);
    } finally {
      await short.stop();
    }
  });

  it("a 401 drops the cached token, fetches once more and retries once", async () => {
    const env = autoEnv();
    expect((await runOpcli(["--operation-id", "get-sessions"], { env })).code).toBe(0);
    const printed = await runOpcli(["--output-access-token", "--operation-id", "get-sessions"], {
      env,
      printsToken: true,
    });
    const old = printed.stdout.trim();
    await fetch(`${s.url}/jans-auth/restv1/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: old,
        client_id: s.admin.client_id,
        client_secret: s.admin.client_secret,
      }),
    });
    const before = (await serverStats(s)).tokenGrants;
    const r = await runOpcli(["--operation-id", "get-sessions"], { env });
    expect(r.code).toBe(0);
    expect((await serverStats(s)).tokenGrants - before).toBe(1);
    const now = await runOpcli(["--output-access-token", "--operation-id", "get-sessions"], {
      env,
      printsToken: true,
    });
    expect(now.stdout.trim()).not.toBe(old);
  });

  it("an API that always answers 401 gets one retry, not a loop", async () => {
    let apiCalls = 0;
    echo.respond = (r) => {
      if (r.url.startsWith("/jans-auth/restv1/token")) {
        return {
          status: 200,
          body: JSON.stringify({
            access_token: `tok-${Math.random()}`,
            token_type: "Bearer",
            expires_in: 300,
          }),
        };
      }
      apiCalls++;
      return { status: 401, body: '{"code":"401","message":"Unauthorized","description":"nope"}' };
    };
    const r = await runOpcli(["--operation-id", "get-sessions", "--host", echo.url], { env: autoEnv() });
    expect(r.code).toBe(4);
    expect(apiCalls).toBe(2);
  });

  it("--access-token and OPCLI_ACCESS_TOKEN override everything and are never cached", async () => {
    const env = autoEnv();
    const token = (await runOpcli(["--output-access-token"], { env, printsToken: true })).stdout.trim();
    const fresh = autoEnv({ OPCLI_ACCESS_TOKEN: token });
    const before = (await serverStats(s)).tokenGrants;
    expect((await runOpcli(["--operation-id", "get-sessions"], { env: fresh })).code).toBe(0);
    expect(
      (await runOpcli(["--operation-id", "get-sessions", "--access-token", token], { env: autoEnv() })).code,
    ).toBe(0);
    expect((await serverStats(s)).tokenGrants).toBe(before);
    const status = await runOpcli(["auth", "status"], { env: fresh });
    expect(status.stdout).toContain("token: from the environment or --access-token (not cached)");
    expect(existsSync(join(fresh.HOME!, ".cache", "opcli", "tokens.json"))).toBe(false);
  });

  it("--output-access-token prints the token and a newline, nothing else; --token-format reshapes it", async () => {
    const env = autoEnv();
    const raw = await runOpcli(["--output-access-token"], { env, printsToken: true });
    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = raw.stdout.trim();
    const shapes = {
      header: `Authorization: Bearer ${token}\n`,
      env: `OPCLI_ACCESS_TOKEN=${token}\n`,
      json: `${JSON.stringify({ access_token: token, token_type: "Bearer" })}\n`,
    };
    for (const [format, expected] of Object.entries(shapes)) {
      const r = await runOpcli(["--output-access-token", "--token-format", format], {
        env,
        printsToken: true,
      });
      expect(r.stdout).toBe(expected);
    }
    const curl = await fetch(`${s.url}/jans-config-api/api/v1/jans-auth-server/session`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(curl.status).toBe(200);
  });

  it("auth logout removes the cached token and revokes it at the server", async () => {
    const env = autoEnv();
    const token = (await runOpcli(["auth", "token"], { env, printsToken: true })).stdout.trim();
    const out = await runOpcli(["auth", "logout"], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/removed 1 cached token, revoked 1 at the server/);
    const res = await fetch(`${s.url}/jans-config-api/api/v1/jans-auth-server/session`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    expect((await runOpcli(["auth", "status"], { env })).stdout).toContain("cached tokens: none");
  });
});

describe("device authorization grant", () => {
  it("signs a person in: code on stderr, approved through the server's page, token cached and refreshed", async () => {
    const env = autoEnv();
    let approved = false;
    const login = runOpcliInPty(["auth", "login", "--device"], {
      env,
      onOutput: (chunk) => {
        const m = /open (\S+) and confirm the code ([A-Z]{4}-[A-Z]{4})/.exec(chunk);
        if (!m || approved) return;
        approved = true;
        void submitForm(m[1]!, "/jans-auth/device", {
          user_code: m[2]!,
          username: "tess",
          password: PASSWORD,
          action: "approve",
        });
      },
    });
    const r = await login;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /To sign in, open http:\/\/127\.0\.0\.1:\d+\/jans-auth\/device\?user_code=[A-Z]{4}-[A-Z]{4} and confirm the code/,
    );
    expect(r.stdout).toMatch(/signed in \(fetched\)/);
    const stats = await serverStats(s);
    expect(stats.deviceGrants).toBe(1);
    const status = await runOpcli(["auth", "status"], { env });
    expect(status.stdout).toMatch(/cached token \(device_code, refreshable\)/);
    // auth logout reports what the server confirmed, and the refresh token really is dead there.
    const live = () =>
      (
        new Database(s.db, { readonly: true })
          .prepare("SELECT count(*) AS n FROM refresh_tokens WHERE used_at IS NULL AND subject LIKE 'inum=%'")
          .get() as { n: number }
      ).n;
    expect(live()).toBe(1);
    const out = await runOpcli(["auth", "logout"], { env });
    expect(out.stderr).toMatch(/removed 1 cached token, revoked 2 at the server/);
    expect(live()).toBe(0);
  });

  it("auth login --device with no terminal (or --no-input) fails at once with exit 4 and a hint", async () => {
    const started = Date.now();
    const piped = await runOpcli(["auth", "login", "--device"], { env: autoEnv() });
    // On a terminal, --no-input says the same: nobody will answer.
    const refused = await runOpcliInPty(["auth", "login", "--device", "--no-input"], { env: autoEnv() });
    for (const [code, out] of [
      [piped.code, piped.stderr],
      [refused.code, refused.stdout],
    ] as const) {
      expect(code).toBe(4);
      expect(out).toContain("the device flow needs a person at a terminal");
      expect(out).not.toContain("confirm the code");
    }
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("fails fast without a terminal when only a person could sign in", async () => {
    const env = autoEnv();
    delete env.OPCLI_CLIENT_SECRET;
    const started = Date.now();
    const r = await runOpcli(["--operation-id", "get-sessions"], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "opcli: signing in needs a person at a terminal: run opcli auth login --device, or give --client-secret\n",
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("profiles and TLS", () => {
  it("config set/get/list/path manage named profiles; --profile and OPCLI_PROFILE select one", async () => {
    const env = isolatedEnv();
    const set = (...a: string[]) => runOpcli(["config", "set", ...a], { env });
    expect((await set("host", s.url, "--profile", "ref")).code).toBe(0);
    expect((await set("clientId", s.admin.client_id, "--profile", "ref")).code).toBe(0);
    expect((await set("clientSecretRef", "env:REF_SECRET", "--profile", "ref")).code).toBe(0);
    expect((await set("host", "http://127.0.0.1:9", "--profile", "broken")).code).toBe(0);
    const path = (await runOpcli(["config", "path"], { env })).stdout.trim();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await runOpcli(["config", "get", "host", "--profile", "ref"], { env })).stdout).toBe(
      `${s.url}\n`,
    );
    const list = JSON.parse((await runOpcli(["config", "list"], { env })).stdout) as {
      profiles: Record<string, unknown>;
    };
    expect(Object.keys(list.profiles)).toEqual(["ref", "broken"]);
    const ok = await runOpcli(["--profile", "ref", "--operation-id", "get-sessions"], {
      env: { ...env, REF_SECRET: s.admin.client_secret },
    });
    expect(ok.code).toBe(0);
    const viaEnv = await runOpcli(["--operation-id", "get-sessions"], {
      env: { ...env, OPCLI_PROFILE: "broken", OPCLI_ACCESS_TOKEN: "unused" },
    });
    expect(viaEnv.code).toBe(7);
    const unknown = await runOpcli(["--profile", "nope", "--operation-id", "get-sessions"], { env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no profile "nope" in the config file \(have: ref, broken\)/);
  });

  it("mTLS: succeeds with the profile's client certificate, fails with exit 7 without it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-tls-"));
    const certs = makeCerts(dir);
    const tls = await startServer({ passwordHashCost: 1024 }, mkdtempSync(join(tmpdir(), "opcli-srv-")), [
      "--tls-port",
      "0",
      "--tls-cert",
      certs.serverCert,
      "--tls-key",
      certs.serverKey,
      "--tls-client-ca",
      certs.ca,
    ]);
    try {
      const env = isolatedEnv({
        OPCLI_CLIENT_ID: tls.admin.client_id,
        OPCLI_CLIENT_SECRET: tls.admin.client_secret,
      });
      const cfgDir = join(env.HOME!, ".config", "opcli");
      mkdirSync(cfgDir, { recursive: true });
      const profile = {
        host: tls.tlsUrl,
        caFile: certs.ca,
        certFile: certs.clientCert,
        keyFile: certs.clientKey,
      };
      writeFileSync(
        join(cfgDir, "config.json"),
        JSON.stringify({ profiles: { mtls: profile, nocert: { host: tls.tlsUrl, caFile: certs.ca } } }),
      );
      const ok = await runOpcli(["--profile", "mtls", "--operation-id", "get-sessions"], { env });
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      const refused = await runOpcli(["--profile", "nocert", "--operation-id", "get-sessions"], { env });
      expect(refused.code).toBe(7);
      expect(refused.stderr).toMatch(/^opcli: .*(certificate|handshake|alert|socket hang up|reset)/i);
      const untrusted = await runOpcli(["--host", tls.tlsUrl!, "--operation-id", "get-sessions"], { env });
      expect(untrusted.code).toBe(7);
      expect(untrusted.stderr).toMatch(
        /^opcli: TLS: the certificate of 127\.0\.0\.1:\d+ is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT)\); --cacert FILE, or --insecure\n$/,
      );
      const insecure = await runOpcli(
        [
          "--host",
          tls.tlsUrl!,
          "--insecure",
          "--cert",
          certs.clientCert,
          "--key",
          certs.clientKey,
          "--operation-id",
          "get-sessions",
        ],
        { env },
      );
      expect(insecure.code).toBe(0);
      expect(insecure.stderr).toMatch(
        /^opcli: warning: TLS certificate verification is off \(--insecure\)\n/,
      );
    } finally {
      await tls.stop();
    }
  });
});

describe("no credential leaks", () => {
  it("no access token, refresh token or client secret appears in any output but a requested token", async () => {
    const tokens = new Set(
      tokenOutputs.flatMap((o) => o.trim().split(/\s|=|"/)).filter((t) => t.startsWith("eyJ")),
    );
    expect(tokens.size).toBeGreaterThan(2);
    const jwt = /eyJ[\w-]{10,}\.[\w-]{10,}\./;
    const logs = s.logs();
    for (const out of [...capturedOutputs, logs]) {
      expect(out).not.toMatch(jwt);
      expect(out).not.toContain(s.admin.client_secret);
      for (const t of tokens) expect(out).not.toContain(t);
    }
    expect(logs).not.toContain(userDn.slice(0, 0) || PASSWORD);
    if (!KEYCHAIN) {
      // The file cache itself holds tokens, but only in a 0600 file.
      const files = capturedOutputs.filter((o) => o.includes("refresh_token"));
      expect(files).toEqual([]);
    }
    expect(readFileSync(join(s.dir, "admin-client.json"), "utf8")).toContain(s.admin.client_secret);
  });
});
