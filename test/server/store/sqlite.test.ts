import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { storeContract } from "./contract.js";

storeContract(
  "sqlite (file)",
  async () => new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-contract-")), "s.db") }),
);
