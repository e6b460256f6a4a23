import { realmPath } from "../core/realms.js";
import { userIdOfDn } from "../store/query.js";
import { ServerConfigError, ServerUsageError, valueOrRefusal } from "./errors.js";
import { SERVER_EXIT } from "./exit-codes.js";
import type { ServerIO } from "./io.js";
import { openCore } from "./open-store.js";

// opcli-server user create | disable | enable | passwd | unlock

/** The operator at the server's own command line, as recorded in session events. */
const OPERATOR = { type: "admin" as const, id: "opcli-server" };

function readPassword(values: Record<string, unknown>, io: ServerIO): string {
  if (!values["password-stdin"])
    throw new ServerUsageError("the password comes from stdin: --password-stdin");
  return io.stdin().replace(/\r?\n$/, "");
}

export async function userCommand(
  sub: string,
  values: Record<string, unknown>,
  io: ServerIO,
): Promise<number> {
  const username = values.username as string | undefined;
  if (!username) throw new ServerUsageError(`user ${sub} needs --username`);
  const password = sub === "create" || sub === "passwd" ? readPassword(values, io) : "";
  const { core } = await openCore({ ...values, quiet: true }, io);
  try {
    if (sub === "create") {
      const user = valueOrRefusal(
        await core.users.create(username, password, {
          roles: (values.role as string[] | undefined) ?? [],
          ...(values.email ? { email: String(values.email) } : {}),
          ...(values.realm && values.realm !== "root" ? { realm: realmPath(String(values.realm)) } : {}),
        }),
      );
      const id = userIdOfDn(user.dn);
      io.stdout(`${JSON.stringify({ dn: user.dn, username: user.username, id, realm: user.realm })}\n`);
      return SERVER_EXIT.ok;
    }
    if (sub === "unlock") {
      await core.users.unlock(username);
      io.stdout(`${JSON.stringify({ username, unlocked: true })}\n`);
      return SERVER_EXIT.ok;
    }
    const user = await core.users.getByName(username);
    if (!user) throw new ServerConfigError(`no user "${username}"`);
    if (sub === "passwd") {
      const ended = valueOrRefusal(await core.users.setPassword(user.dn, password, OPERATOR));
      io.stdout(`${JSON.stringify({ username, endedSessions: ended })}\n`);
      return SERVER_EXIT.ok;
    }
    const before = await core.sessions.ofUser(user.dn);
    await core.users.setDisabled(user.dn, sub === "disable", OPERATOR);
    io.stdout(
      `${JSON.stringify({ username, disabled: sub === "disable", endedSessions: sub === "disable" ? before.length : 0 })}\n`,
    );
    return SERVER_EXIT.ok;
  } finally {
    await core.store.close();
  }
}
