import type { Child } from "hono/jsx";
import type { DeviceCodeRecord } from "../../store/types.js";
import { Alert, Hidden } from "../html.js";
import { JANS_AUTH, RESTV1 } from "../kit/mounts.js";

// The pieces of the end user's pages under /jans-auth, as hono/jsx (every value escaped).

/** Every page of a signed-in person offers sign-out (ASVS 7.4.4); `keep` carries an RP's request along. */
export const signOutForm = (token: string, keep: Record<string, string | undefined> = {}) => (
  <form method="post" action={`${RESTV1}/end_session`}>
    <Hidden name="csrf_token" value={token} />
    {Object.entries(keep).map(([name, value]) =>
      value ? <Hidden key={name} name={name} value={value} /> : null,
    )}
    <button type="submit">Sign out</button>
  </form>
);

export const loginForm = (token: string, message = "", username = "", next?: string) => (
  <>
    <Alert message={message} />
    <form method="post" action={`${JANS_AUTH}/login`}>
      <Hidden name="csrf_token" value={token} />
      {next ? <Hidden name="continue" value={next} /> : null}
      <label for="username">User name</label>
      <input id="username" name="username" autocomplete="username" value={username} required autofocus />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
  </>
);

/** What the person is asked to approve: which client, which scopes. */
export const deviceRequest = (rec: DeviceCodeRecord, clientName: string) => (
  <dl>
    <dt>Client</dt>
    <dd>
      {clientName} (<code>{rec.clientId}</code>)
    </dd>
    <dt>Asks for</dt>
    <dd>
      <ul>
        {rec.scopes.map((s) => (
          <li key={s}>
            <code>{s}</code>
          </li>
        ))}
      </ul>
    </dd>
  </dl>
);

export const deviceForm = (token: string, userCode: string, details: Child, message = "") => (
  <>
    <Alert message={message} />
    {details}
    <form method="post" action={`${JANS_AUTH}/device`}>
      <Hidden name="csrf_token" value={token} />
      <label for="user_code">Code shown on the device</label>
      <input id="user_code" name="user_code" value={userCode} autocomplete="off" required />
      <label for="username">User name</label>
      <input id="username" name="username" autocomplete="username" required />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit" name="action" value="approve">
        Approve
      </button>
      <button type="submit" name="action" value="deny">
        Deny
      </button>
    </form>
  </>
);

/** A page's text, with the sign-out form when someone is signed in. */
export const text = (line: string, opts: { id?: string; signOut?: string } = {}) => (
  <>
    <p id={opts.id}>{line}</p>
    {opts.signOut ? signOutForm(opts.signOut) : null}
  </>
);
