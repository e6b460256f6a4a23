import { SqlClients, SqlKeys, SqlUsers } from "./accounts.js";
import { SqlAlarms, SqlEvents } from "./audit.js";
import type { SqlExecutor } from "./executor.js";
import { SqlAuthorizationCodes, SqlDeviceCodes, SqlRefreshTokens, SqlRevocations } from "./grants.js";
import { SqlLoginAttempts } from "./login-attempts.js";
import { SqlOutbox, SqlStreams } from "./outbox.js";
import { type SessionParts, SqlSessions } from "./sessions.js";

/** Every repository of the SQL store over one executor; a backend adds opening, health and closing. */
export abstract class SqlRepositories {
  readonly sessions: SqlSessions;
  readonly users: SqlUsers;
  readonly loginAttempts: SqlLoginAttempts;
  readonly clients: SqlClients;
  readonly keys: SqlKeys;
  readonly deviceCodes: SqlDeviceCodes;
  readonly refreshTokens: SqlRefreshTokens;
  readonly authorizationCodes: SqlAuthorizationCodes;
  readonly events: SqlEvents;
  readonly revocations: SqlRevocations;
  readonly alarms: SqlAlarms;
  readonly outbox: SqlOutbox;
  readonly streams: SqlStreams;

  constructor(x: SqlExecutor, sessions: SessionParts) {
    this.sessions = new SqlSessions(x, sessions);
    this.users = new SqlUsers(x);
    this.loginAttempts = new SqlLoginAttempts(x);
    this.clients = new SqlClients(x);
    this.keys = new SqlKeys(x);
    this.deviceCodes = new SqlDeviceCodes(x);
    this.refreshTokens = new SqlRefreshTokens(x);
    this.authorizationCodes = new SqlAuthorizationCodes(x);
    this.events = new SqlEvents(x);
    this.revocations = new SqlRevocations(x);
    this.alarms = new SqlAlarms(x);
    this.outbox = new SqlOutbox(x);
    this.streams = new SqlStreams(x);
  }
}
