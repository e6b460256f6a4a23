import type { Child, FC } from "hono/jsx";
import type { AdminSession, AdminUser } from "../../core/admin.js";
import { userIdOfDn } from "../../store/query.js";
import type { AlarmRecord, SessionEvent } from "../../store/types.js";
import { ADMIN_PAGES } from "../kit/mounts.js";
import { Hidden, When } from "./layout.js";
import { hrefOf, type ListState, SortHeader } from "./list-controls.js";
import { shortAgent } from "./user-agent.js";

// The admin console's tables and dialogs.

export const AlarmBanner: FC<{ alarms: AlarmRecord[] }> = ({ alarms }) =>
  alarms.length === 0 ? null : (
    <section class="banner" aria-label="IP spread alarms">
      <strong>IP spread alarm.</strong>
      <ul>
        {alarms.map((a) => (
          <li key={a.id}>
            <a href={`${ADMIN_PAGES}/sessions?user=${encodeURIComponent(a.username ?? "")}`}>{a.username}</a>{" "}
            has sessions or sign-ins from {a.detail.count} addresses ({a.detail.addresses}) —{" "}
            <a href={`${ADMIN_PAGES}/alarms?user=${encodeURIComponent(a.username ?? "")}`}>alarm</a>,{" "}
            <a href={`${ADMIN_PAGES}/audit?user=${encodeURIComponent(a.username ?? "")}`}>sign-in audit</a>
          </li>
        ))}
      </ul>
    </section>
  );

export const SessionFilters: FC<{ user: string; ip: string }> = ({ user, ip }) => (
  <form method="get" action={`${ADMIN_PAGES}/sessions`} class="filters" aria-label="Filter sessions">
    <div>
      <label for="f-user">User</label>
      <input id="f-user" name="user" value={user} autocomplete="off" />
    </div>
    <div>
      <label for="f-ip">IP address</label>
      <input id="f-ip" name="ip" value={ip} autocomplete="off" inputmode="decimal" />
    </div>
    <button type="submit">Filter</button>
    {user || ip ? <a href={`${ADMIN_PAGES}/sessions`}>Clear filters</a> : null}
  </form>
);

/** A row's actions as one compact menu (`<details>`: opens without script). */
export const RowMenu: FC<{ label: string; children?: Child }> = ({ label, children }) => (
  <details class="menu">
    <summary aria-label={label}>
      Actions <span aria-hidden="true">▾</span>
    </summary>
    <ul class="menu-items">{children}</ul>
  </details>
);

/** One column of the sessions table: its header, sort key and cell (add a column here). */
interface SessionColumn {
  label: string;
  sortKey?: string;
  /** Kept on one line (identifiers and times). */
  nowrap?: boolean;
  /** Left off the stacked cards on phones. */
  phone?: false;
  cell(s: AdminSession, now: number): Child;
}

const SESSION_COLUMNS: SessionColumn[] = [
  {
    label: "User",
    sortKey: "user",
    nowrap: true,
    cell: (s) => (
      <a href={`${ADMIN_PAGES}/sessions?user=${encodeURIComponent(s.username ?? "")}`}>{s.username}</a>
    ),
  },
  { label: "IP Address", nowrap: true, cell: (s) => s.ipAddress ?? "" },
  {
    label: "User Agent",
    phone: false,
    cell: (s) => <span title={s.userAgent ?? ""}>{shortAgent(s.userAgent)}</span>,
  },
  {
    label: "Created",
    sortKey: "created",
    nowrap: true,
    phone: false,
    cell: (s, now) => <When at={s.createdAt} now={now} />,
  },
  {
    label: "Last Active",
    sortKey: "lastActive",
    nowrap: true,
    cell: (s, now) => <When at={s.lastActiveAt} now={now} />,
  },
  {
    label: "Expires",
    sortKey: "expires",
    nowrap: true,
    cell: (s, now) => <When at={s.expiresAt} now={now} />,
  },
];

export const SessionTable: FC<{
  items: AdminSession[];
  now: number;
  canWrite: boolean;
  filtered: boolean;
  st: ListState;
}> = (p) => {
  const back = encodeURIComponent(hrefOf(p.st));
  return p.items.length === 0 ? (
    <p class="empty">{p.filtered ? "No active sessions match these filters." : "No active sessions."}</p>
  ) : (
    <section class="table-wrap" aria-label="Active sessions" tabindex={0}>
      <table class="cards">
        <caption class="skip">Active sessions</caption>
        <thead>
          <tr>
            {SESSION_COLUMNS.map((c) => (
              <SortHeader key={c.label} st={p.st} label={c.label} sortKey={c.sortKey} />
            ))}
            {p.canWrite ? (
              <th scope="col" class="actions">
                Actions
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {p.items.map((s) => (
            <tr key={s.id} data-session={s.id}>
              {SESSION_COLUMNS.map((c) => (
                <td
                  key={c.label}
                  data-label={c.label}
                  class={
                    [c.nowrap ? "nowrap" : "", c.phone === false ? "no-phone" : ""].join(" ").trim() ||
                    undefined
                  }
                >
                  {c.cell(s, p.now)}
                </td>
              ))}
              {p.canWrite ? (
                <td class="actions">
                  <RowMenu label={`Actions for the session of ${s.username} from ${s.ipAddress}`}>
                    <li>
                      <a
                        class="danger-text"
                        href={`${ADMIN_PAGES}/sessions/${encodeURIComponent(s.id)}/terminate?back=${back}`}
                      >
                        Terminate
                      </a>
                    </li>
                    {s.userId ? (
                      <li>
                        <a href={`${ADMIN_PAGES}/users/${s.userId}/logout-all?back=${back}`}>
                          Logout all devices of {s.username}
                        </a>
                      </li>
                    ) : null}
                    <li>
                      <a href={`${ADMIN_PAGES}/audit?user=${encodeURIComponent(s.username ?? "")}`}>
                        Sign-in audit of {s.username}
                      </a>
                    </li>
                  </RowMenu>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/** A confirmation as its own page (no script): what will happen, Confirm, and Cancel back. */
export const Confirm: FC<{
  question: string;
  consequence: string;
  action: string;
  confirm: string;
  cancel: string;
  csrf: string;
  facts: [string, Child][];
  back?: string;
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
      {p.back ? <Hidden name="back" value={p.back} /> : null}
      <button type="submit" class="danger" autofocus>
        {p.confirm}
      </button>{" "}
      <a class="button" href={p.cancel}>
        Cancel
      </a>
    </form>
  </dialog>
);

const PostButton: FC<{
  action: string;
  label: string;
  csrf: string;
  danger?: boolean;
  aria: string;
  back?: string;
}> = (p) => (
  <form method="post" action={p.action}>
    <Hidden name="csrf_token" value={p.csrf} />
    {p.back ? <Hidden name="back" value={p.back} /> : null}
    <button type="submit" class={p.danger ? "danger" : undefined} aria-label={p.aria}>
      {p.label}
    </button>
  </form>
);

const status = (u: AdminUser, now: number) =>
  u.disabled ? "Disabled" : u.lockedUntil > now ? "Locked" : "Active";

export const UserTable: FC<{
  items: AdminUser[];
  now: number;
  canWrite: boolean;
  csrf: string;
  st: ListState;
}> = (p) => {
  const back = hrefOf(p.st);
  const q = `?back=${encodeURIComponent(back)}`;
  return p.items.length === 0 ? (
    <p class="empty">No users match.</p>
  ) : (
    <section class="table-wrap" aria-label="Users" tabindex={0}>
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Email</th>
            <th scope="col">Sessions</th>
            <th scope="col">Last login</th>
            <th scope="col">Status</th>
            {p.canWrite ? (
              <th scope="col" class="actions">
                Actions
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {p.items.map((u) => (
            <tr key={u.username} data-user={u.username}>
              <td class="nowrap" data-label="User">
                <a href={`${ADMIN_PAGES}/sessions?user=${encodeURIComponent(u.username)}`}>{u.username}</a>
              </td>
              <td class="nowrap no-phone" data-label="Email">
                {u.email ?? ""}
              </td>
              <td data-label="Sessions">{u.sessions}</td>
              <td class="nowrap" data-label="Last login">
                <When at={u.lastLoginAt} now={p.now} />
              </td>
              <td data-label="Status">{status(u, p.now)}</td>
              {p.canWrite ? (
                <td class="actions">
                  <RowMenu label={`Actions for ${u.username}`}>
                    {u.sessions > 0 ? (
                      <li>
                        <a class="danger-text" href={`${ADMIN_PAGES}/users/${u.id}/logout-all${q}`}>
                          Logout all devices of {u.username}
                        </a>
                      </li>
                    ) : null}
                    <li>
                      {u.lockedUntil > p.now ? (
                        <PostButton
                          action={`${ADMIN_PAGES}/users/${u.id}/unlock`}
                          label={`Unlock ${u.username}`}
                          csrf={p.csrf}
                          aria={`Unlock ${u.username}`}
                          back={back}
                        />
                      ) : (
                        <PostButton
                          action={`${ADMIN_PAGES}/users/${u.id}/lock`}
                          label={`Lock ${u.username}`}
                          csrf={p.csrf}
                          aria={`Lock ${u.username}`}
                          back={back}
                        />
                      )}
                    </li>
                    <li>
                      {u.disabled ? (
                        <PostButton
                          action={`${ADMIN_PAGES}/users/${u.id}/enable`}
                          label={`Enable ${u.username}`}
                          csrf={p.csrf}
                          aria={`Enable ${u.username}`}
                          back={back}
                        />
                      ) : (
                        <a class="danger-text" href={`${ADMIN_PAGES}/users/${u.id}/disable${q}`}>
                          Disable {u.username}
                        </a>
                      )}
                    </li>
                  </RowMenu>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

export const AlarmTable: FC<{ items: AlarmRecord[]; now: number; canWrite: boolean; csrf: string }> = (p) =>
  p.items.length === 0 ? (
    <p class="empty">No alarms.</p>
  ) : (
    <section class="table-wrap" aria-label="Alarms" tabindex={0}>
      <table class="cards">
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
              <td class="nowrap" data-label="User">
                <a href={`${ADMIN_PAGES}/sessions?user=${encodeURIComponent(a.username ?? "")}`}>
                  {a.username}
                </a>
              </td>
              <td data-label="Alarm">IP spread ({a.detail.count} addresses)</td>
              <td data-label="Addresses">{a.detail.addresses}</td>
              <td class="nowrap" data-label="Raised">
                <When at={a.raisedAt} now={p.now} />
              </td>
              <td data-label="Status">
                {a.acknowledgedAt !== null ? (
                  `Acknowledged by ${a.acknowledgedBy}`
                ) : p.canWrite ? (
                  <PostButton
                    action={`${ADMIN_PAGES}/alarms/${a.id}/acknowledge`}
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

export const EVENT_NAMES: Record<string, string> = {
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
      <table class="cards">
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
              <td class="nowrap" data-label="Time">
                <When at={e.at} now={p.now} />
              </td>
              <td data-label="Event">{EVENT_NAMES[e.type] ?? e.type}</td>
              <td class="nowrap" data-label="User">
                {e.username ?? userIdOfDn(e.userDn) ?? ""}
              </td>
              <td class="nowrap" data-label="IP Address">
                {e.remoteIp ?? ""}
              </td>
              <td class="nowrap" data-label="By">
                {e.actor ? `${e.actor} (${e.actorType})` : e.actorType}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );

/** The audit's filter form: user, event type and a time range (datetime-local, UTC). */
export const AuditFilters: FC<{ user: string; type: string; from: string; to: string }> = (p) => (
  <form method="get" action={`${ADMIN_PAGES}/audit`} class="filters" aria-label="Filter the audit">
    <div>
      <label for="a-user">User</label>
      <input id="a-user" name="user" value={p.user} autocomplete="off" />
    </div>
    <div>
      <label for="a-type">Event</label>
      <select id="a-type" name="type">
        <option value="">Any event</option>
        {Object.entries(EVENT_NAMES).map(([k, v]) => (
          <option key={k} value={k} selected={k === p.type}>
            {v}
          </option>
        ))}
      </select>
    </div>
    <div>
      <label for="a-from">From (UTC)</label>
      <input id="a-from" name="from" type="datetime-local" value={p.from} />
    </div>
    <div>
      <label for="a-to">To (UTC)</label>
      <input id="a-to" name="to" type="datetime-local" value={p.to} />
    </div>
    <button type="submit">Filter</button>
    {p.user || p.type || p.from || p.to ? <a href={`${ADMIN_PAGES}/audit`}>Clear filters</a> : null}
  </form>
);
