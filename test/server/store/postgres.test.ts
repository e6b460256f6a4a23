import { openTestPgStore } from "../../helpers/postgres.js";
import { storeContract } from "./contract.js";

storeContract("postgresql", () => openTestPgStore());
