import { describe, expect, it } from "vitest";
import { chooseStore, redactUrl } from "../../src/server/cli/store-options.js";

const env = { XDG_DATA_HOME: "/data" };
const PG = "postgresql://opcli@db.internal:5432/opcli";

describe("choosing the store", () => {
  const cases: [string, Record<string, unknown>, Record<string, string>, unknown, unknown][] = [
    ["the default SQLite file", {}, env, undefined, { kind: "sqlite", path: "/data/opcli-server/server.db" }],
    ["--db", { db: "/x.db" }, env, undefined, { kind: "sqlite", path: "/x.db" }],
    ["--store as a file", { store: "/y.db" }, env, undefined, { kind: "sqlite", path: "/y.db" }],
    [
      "--store over $OPCLI_STORE",
      { store: "/y.db" },
      { ...env, OPCLI_STORE: PG },
      undefined,
      { kind: "sqlite" },
    ],
    [
      "$OPCLI_STORE over the config",
      {},
      { ...env, OPCLI_STORE: PG },
      "/z.db",
      { kind: "postgresql", url: PG },
    ],
    ["the config's store string", {}, env, PG, { kind: "postgresql", url: PG, poolSize: 10 }],
    [
      "the config's store object",
      {},
      env,
      { url: PG, poolSize: 3, statementTimeout: 100, connectRetry: 2 },
      { kind: "postgresql", poolSize: 3, statementTimeoutMs: 100, connectRetryMs: 2000 },
    ],
    [
      "flags over the config's numbers",
      { store: PG, "store-pool-size": "7", "store-connect-retry": "0" },
      env,
      { poolSize: 3 },
      { poolSize: 7, connectRetryMs: 0, statementTimeoutMs: 5000 },
    ],
    ["postgres:// too", { store: "postgres://h/db" }, env, undefined, { kind: "postgresql" }],
  ];
  it.each(cases)("%s", (_name, values, e, config, expected) => {
    expect(chooseStore(values, e, config)).toMatchObject(expected as object);
  });

  const errors: [string, Record<string, unknown>, unknown, RegExp][] = [
    ["both --store and --db", { store: PG, db: "/x.db" }, undefined, /not both/],
    ["an unknown scheme", { store: "mysql://h/db" }, undefined, /unsupported store "mysql:\/\/h\/db"/],
    ["a password in --store", { store: "postgresql://u:hunter2@h/db" }, undefined, /process list/],
    [
      "a bad pool size",
      { store: PG, "store-pool-size": "ten" },
      undefined,
      /--store-pool-size must be an integer/,
    ],
    ["a pool size too large", { store: PG, "store-pool-size": "5000" }, undefined, /from 0 to 1000/],
    ["an unknown config key", {}, { url: PG, pool: 3 }, /unknown key "pool"/],
    ["a config store of the wrong type", {}, 42, /must be a URL or an object/],
  ];
  it.each(errors)("refuses %s", (_name, values, config, message) => {
    expect(() => chooseStore(values, env, config)).toThrow(message);
  });

  it("never shows a password, and the refusal does not repeat it", () => {
    expect(redactUrl("postgresql://u:hunter2@h:5/db")).toBe("postgresql://u:***@h:5/db");
    expect(redactUrl("postgresql://u@h/db")).toBe("postgresql://u@h/db");
    try {
      chooseStore({ store: "postgresql://u:hunter2@h/db" }, env, undefined);
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
    }
    expect(() => chooseStore({}, { OPCLI_STORE: "postgresql://u:hunter2@h/db" }, undefined)).not.toThrow();
  });
});
