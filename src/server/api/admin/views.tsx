import type { FC } from "hono/jsx";
import type { AdminSession, AdminUser } from "../../core/admin.js";
import { userIdOfDn } from "../../store/query.js";
import type { AlarmRecord, SessionEvent } from "../../store/types.js";
import { Hidden, When } from "./layout.js";

// The admin console's tables and dialogs.

export const AlarmBanner: FC<{ alarms: AlarmRecord[] }> = ({ alarms }) =>
  alarms.length === 0 ? null : (
    <section class="banner" aria-label="IP spread alarms">
      <strong>IP spread alarm.</strong>
      <ul>
        {alarms.map((a) => (
          <li key={a.id}>
            <a href={`/admin/sessions?user=${encodeURIComponent(a.username ?? "")}`}>{a.username}</a> has
            sessions or sign-ins from {a.detail.count} addresses ({a.detail.addresses}) —{" "}
            <a href={`/admin/alarms?user=${encodeURIComponent(a.username ?? "")}`}>alarm</a>,{" "}
            <a href={`/admin/audit?user=${encodeURIComponent(a.username ?? "")}`}>sign-in audit</a>
          </li>
        ))}
      </ul>
    </section>
  );

export const SessionFilters: FC<{ user: string; ip: string }> = ({ user, ip }) => (
  <form method="get" action="/admin/sessions" class="filters" aria-label="Filter sessions">
    <div>
      <label for="f-user">User</label>
      <input id="f-user" name="user" value={user} autocomplete="off" />
    </div>
    <div>
      <label for="f-ip">IP address</label>
      <input id="f-ip" name="ip" value={ip} autocomplete="off" inputmode="decimal" />
    </div>
    <button type="submit">Filter</button>
    {user || ip ? <a href="/admin/sessions">Clear filters</a> : null}
  </form>
);

export const SessionTable: FC<{
  items: AdminSession[];
  now: number;
  canWrite: boolean;
  filtered: boolean;
}> = (p) =>
  p.items.length === 0 ? (
    <p class="empty">{p.filtered ? "No active sessions match these filters." : "No active sessions."}</p>
  ) : (
    <section class="table-wrap" aria-label="Active sessions" tabindex={0}>
      <table>
        <caption class="skip">Active sessions</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">IP Address</th>
            <th scope="col">User Agent</th>
            <th scope="col">Created</th>
            <th scope="col">Last Active</th>
            <th scope="col">Expires</th>
            {p.canWrite ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {p.items.map((s) => (
            <tr key={s.id} data-session={s.id}>
              <td>
                <a href={`/admin/sessions?user=${encodeURIComponent(s.username ?? "")}`}>{s.username}</a>
              </td>
              <td>{s.ipAddress}</td>
              <td>{s.userAgent}</td>
              <td>
                <When at={s.createdAt} now={p.now} />
              </td>
              <td>
                <When at={s.lastActiveAt} now={p.now} />
              </td>
              <td>
                <When at={s.expiresAt} now={p.now} />
              </td>
              {p.canWrite ? (
                <td class="actions">
                  <a
                    class="button danger"
                    href={`/admin/sessions/${encodeURIComponent(s.id)}/terminate`}
                    aria-label={`Terminate the session of ${s.username} from ${s.ipAddress}`}
                  >
                    Terminate
                  </a>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );

/** A confirmation as its own page (no script): what will happen, Confirm, and Cancel back. */
export const Confirm: FC<{
  question: string;
  consequence: string;
  action: string;
  confirm: string;
  cancel: string;
  csrf: string;
  facts: [string, string][];
}> = (p) => (
  <dialog open class="dialog" aria-labelledby="confirm-q" aria-describedby="confirm-c">
    <h2 id="confirm-q">{p.question}</h2>
    <p id="confirm-c">{p.consequence}</p>
    <dl>
      {p.facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
    <form method="post" action={p.action}>
      <Hidden name="csrf_token" value={p.csrf} />
      <button type="submit" class="danger" autofocus>
        {p.confirm}
      </button>{" "}
      <a class="button" href={p.cancel}>
        Cancel
      </a>
    </form>
  </dialog>
);

const PostButton: FC<{ action: string; label: string; csrf: string; danger?: boolean; aria: string }> = (
  p,
) => (
  <form method="post" action={p.action}>
    <Hidden name="csrf_token" value={p.csrf} />
    <button type="submit" class={p.danger ? "danger" : undefined} aria-label={p.aria}>
      {p.label}
    </button>
  </form>
);

const status = (u: AdminUser, now: number) =>
  u.disabled ? "Disabled" : u.lockedUntil > now ? "Locked" : "Active";

export const UserTable: FC<{ items: AdminUser[]; now: number; canWrite: boolean; csrf: string }> = (p) =>
  p.items.length === 0 ? (
    <p class="empty">No users match.</p>
  ) : (
    <section class="table-wrap" aria-label="Users" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Email</th>
            <th scope="col">Sessions</th>
            <th scope="col">Last login</th>
            <th scope="col">Status</th>
            {p.canWrite ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {p.items.map((u) => (
            <tr key={u.username} data-user={u.username}>
              <td>
                <a href={`/admin/sessions?user=${encodeURIComponent(u.username)}`}>{u.username}</a>
              </td>
              <td>{u.email ?? ""}</td>
              <td>{u.sessions}</td>
              <td>
                <When at={u.lastLoginAt} now={p.now} />
              </td>
              <td>{status(u, p.now)}</td>
              {p.canWrite ? (
                <td class="actions">
                  <a
                    class="button danger"
                    href={`/admin/users/${u.id}/logout-all`}
                    aria-label={`Logout all devices of ${u.username}`}
                  >
                    Logout All Devices
                  </a>
                  {u.lockedUntil > p.now ? (
                    <PostButton
                      action={`/admin/users/${u.id}/unlock`}
                      label="Unlock"
                      csrf={p.csrf}
                      aria={`Unlock ${u.username}`}
                    />
                  ) : (
                    <PostButton
                      action={`/admin/users/${u.id}/lock`}
                      label="Lock"
                      csrf={p.csrf}
                      aria={`Lock ${u.username}`}
                    />
                  )}
                  {u.disabled ? (
                    <PostButton
                      action={`/admin/users/${u.id}/enable`}
                      label="Enable"
                      csrf={p.csrf}
                      aria={`Enable ${u.username}`}
                    />
                  ) : (
                    <a
                      class="button danger"
                      href={`/admin/users/${u.id}/disable`}
                      aria-label={`Disable ${u.username}`}
                    >
                      Disable
                    </a>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );

export const AlarmTable: FC<{ items: AlarmRecord[]; now: number; canWrite: boolean; csrf: string }> = (p) =>
  p.items.length === 0 ? (
    <p class="empty">No alarms.</p>
  ) : (
    <section class="table-wrap" aria-label="Alarms" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Alarm</th>
            <th scope="col">Addresses</th>
            <th scope="col">Raised</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {p.items.map((a) => (
            <tr key={a.id} data-alarm={String(a.id)}>
              <td>
                <a href={`/admin/sessions?user=${encodeURIComponent(a.username ?? "")}`}>{a.username}</a>
              </td>
              <td>IP spread ({a.detail.count} addresses)</td>
              <td>{a.detail.addresses}</td>
              <td>
                <When at={a.raisedAt} now={p.now} />
              </td>
              <td>
                {a.acknowledgedAt !== null ? (
                  `Acknowledged by ${a.acknowledgedBy}`
                ) : p.canWrite ? (
                  <PostButton
                    action={`/admin/alarms/${a.id}/acknowledge`}
                    label="Acknowledge"
                    csrf={p.csrf}
                    aria={`Acknowledge the alarm for ${a.username}`}
                  />
                ) : (
                  "Open"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );

const EVENT_NAMES: Record<string, string> = {
  authenticated: "Login",
  login_failed: "Login failed",
  locked: "Locked out",
  ended: "Logout",
  revoked: "Terminated",
  alarm_acknowledged: "Alarm acknowledged",
};

export const AuditTable: FC<{ items: SessionEvent[]; now: number }> = (p) =>
  p.items.length === 0 ? (
    <p class="empty">No sign-in events.</p>
  ) : (
    <section class="table-wrap" aria-label="Sign-in events" tabindex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">User</th>
            <th scope="col">IP Address</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {p.items.map((e) => (
            <tr key={e.id} data-event={e.type}>
              <td>
                <When at={e.at} now={p.now} />
              </td>
              <td>{EVENT_NAMES[e.type] ?? e.type}</td>
              <td>{e.username ?? userIdOfDn(e.userDn) ?? ""}</td>
              <td>{e.remoteIp ?? ""}</td>
              <td>{e.actor ? `${e.actor} (${e.actorType})` : e.actorType}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
