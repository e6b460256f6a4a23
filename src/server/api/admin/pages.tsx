import type { Hono } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { AUDIT_TYPES } from "../../core/admin.js";
import type { ServerCore } from "../../core/core.js";
import type { CoreError } from "../../core/errors.js";
import { FOREVER } from "../../core/sessions.js";
import { userIdOfDn } from "../../store/query.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { personActor } from "../kit/actor.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { STATUS_OF } from "../kit/errors.js";
import { ADMIN_PAGES } from "../kit/mounts.js";
import { CONSOLE_CLIENT, clearConsoleCookie } from "./auth.js";
import { form, html, LoginPage, login, type Status, signedIn } from "./console-session.js";
import { ADMIN_CSS, Layout, Notice, type Section, When } from "./layout.js";
import { backTo, listState, Pager, withNotice } from "./list-controls.js";
import { noticeText } from "./notices.js";
import { ToldRps } from "./told-rps.js";
import { shortAgent } from "./user-agent.js";
import {
  AlarmBanner,
  AlarmTable,
  AuditFilters,
  AuditTable,
  Confirm,
  SessionFilters,
  SessionTable,
  UserTable,
} from "./views.js";

// The admin console's pages at /admin (seed 003): its own sign-in and cookie, CSRF-protected forms,
// and every action confirmed on a page of its own before it is done.

export function adminPageRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const now = () => core.clock.now();

  app.get("/assets/admin.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(ADMIN_CSS);
  });
  app.get("/", (c) => c.redirect(`${ADMIN_PAGES}/sessions`, 302));
  app.get("/login", (c) => html(c, <LoginPage csrf={csrfToken(c)} />));
  app.post("/login", (c) => login(core, c));

  // Everything below needs a console session; a change also a CSRF proof and write scopes.
  app.use("*", async (c, next) => {
    const signed = await signedIn(core, c);
    if (!signed) {
      if (c.req.method === "GET") return c.redirect(`${ADMIN_PAGES}/login`, 303);
      return html(c, <LoginPage csrf={csrfToken(c)} message="Please sign in again." />, 401);
    }
    if (c.req.method === "POST") {
      const f = await form(c);
      if (crossSite(c) || !csrfValid(c, f)) return c.text("cross-site or expired form refused", 403);
      if (c.req.path !== `${ADMIN_PAGES}/logout` && !signed.canWrite)
        return c.text("read-only administrators cannot change this", 403);
    }
    c.set("signed", signed);
    await next();
  });

  const page = (c: FaceContext, title: string, section: Section, body: JSX.Element, status: Status = 200) => {
    const s = signedOf(c);
    return html(
      c,
      <Layout title={title} section={section} csrf={csrfToken(c)} admin={s.name}>
        {body}
      </Layout>,
      status,
    );
  };
  const failed = (c: FaceContext, e: CoreError, section: Section) =>
    page(c, "Not done", section, <Notice text={e.message} kind="error" />, STATUS_OF[e.kind] as Status);
  const query = (c: FaceContext) => (k: string) => c.req.query(k);
  /** The ?user= filter: the name as typed, its user's id, and whether it names nobody (an empty list). */
  const userFilter = async (c: FaceContext) => {
    const user = (c.req.query("user") ?? "").slice(0, 256);
    const found = user ? await core.users.getByName(user) : undefined;
    const userId = found ? (userIdOfDn(found.dn) ?? undefined) : undefined;
    return { user, userId, nobody: user !== "" && userId === undefined };
  };

  app.post("/logout", async (c) => {
    const signed = signedOf(c);
    // The console session ends like any other: in the audit, its token refused from now on.
    await core.sessions.end(signed.session, pageActor(c));
    await core.tokens.revoke(signed.token, CONSOLE_CLIENT);
    clearConsoleCookie(c);
    return c.redirect(`${ADMIN_PAGES}/login`, 303);
  });

  app.get("/sessions", async (c) => {
    const { user, userId, nobody } = await userFilter(c);
    const ip = (c.req.query("ip") ?? "").slice(0, 64);
    const st = listState(`${ADMIN_PAGES}/sessions`, query(c), { user, ip }, SESSION_SORTS, "created");
    const r = nobody
      ? { ok: true as const, value: { total: 0, items: [] } }
      : await core.admin.listSessions({
          limit: st.limit,
          offset: st.offset,
          sort: st.sort as "created",
          order: st.order,
          ...(userId ? { userId } : {}),
          ...(ip ? { ip } : {}),
        });
    if (!r.ok) return failed(c, r.error, "sessions");
    const alarms = await core.admin.alarms({
      open: true,
      limit: 10,
      offset: 0,
      ...(userId ? { userId } : {}),
    });
    const signed = signedOf(c);
    return page(
      c,
      "Sessions",
      "sessions",
      <>
        <Notice text={noticeText(query(c))} />
        <AlarmBanner alarms={nobody ? [] : alarms.entries} />
        <SessionFilters user={user} ip={ip} />
        {userId ? (
          <p>
            {user}: <a href={`${ADMIN_PAGES}/alarms?user=${encodeURIComponent(user)}`}>alarms</a> ·{" "}
            <a href={`${ADMIN_PAGES}/audit?user=${encodeURIComponent(user)}`}>sign-in audit</a>
          </p>
        ) : null}
        <Pager st={st} total={r.value.total} where="top" noun="sessions" />
        <SessionTable
          items={r.value.items}
          now={now()}
          canWrite={signed.canWrite}
          filtered={Boolean(user || ip)}
          st={st}
        />
        <Pager st={st} total={r.value.total} where="bottom" noun="sessions" />
      </>,
    );
  });

  app.get("/sessions/:id/terminate", async (c) => {
    const s = await core.sessions.get(c.req.param("id"));
    if (!s.ok) return failed(c, s.error, "sessions");
    const v = s.value;
    const back = backTo(c.req.query("back"), `${ADMIN_PAGES}/sessions`);
    const facts: [string, JSX.Element | string][] = [
      ["User", v.attributes.auth_user ?? ""],
      ["IP Address", v.attributes.remote_ip ?? ""],
      [
        "User Agent",
        <span key="ua" title={v.attributes.user_agent ?? ""}>
          {shortAgent(v.attributes.user_agent)}
        </span>,
      ],
      ["Created", <When key="createdAt" at={v.createdAt} now={now()} />],
      ["Last Active", <When key="lastUsedAt" at={v.lastUsedAt} now={now()} />],
      ["Expires", <When key="expiresAt" at={v.expiresAt} now={now()} />],
      ...(v.absoluteExpiresAt < FOREVER
        ? [
            ["Absolute limit", <When key="absoluteExpiresAt" at={v.absoluteExpiresAt} now={now()} />] as [
              string,
              JSX.Element,
            ],
          ]
        : []),
    ];
    return page(
      c,
      "Terminate session",
      "sessions",
      <Confirm
        question={`Terminate this session of ${v.attributes.auth_user ?? "this user"}?`}
        consequence="It ends now and cannot be undone: the user's next request gets a 401 and the login page, and unsaved work is lost."
        action={`${ADMIN_PAGES}/sessions/${encodeURIComponent(v.sid)}/terminate`}
        confirm="Terminate 1 session"
        cancel={back}
        back={back}
        csrf={csrfToken(c)}
        facts={facts}
      />,
    );
  });

  app.post("/sessions/:id/terminate", async (c) => {
    const r = await core.admin.terminate(c.req.param("id"), pageActor(c));
    if (!r.ok) return failed(c, r.error, "sessions");
    const back = backTo((await form(c)).back, `${ADMIN_PAGES}/sessions`);
    return c.redirect(withNotice(back, "terminated", r.value.username ?? "", 1), 303);
  });

  app.get("/users", async (c) => {
    const search = (c.req.query("search") ?? "").slice(0, 256);
    const st = listState(`${ADMIN_PAGES}/users`, query(c), { search }, [], "");
    const r = await core.admin.listUsers({
      limit: st.limit,
      offset: st.offset,
      ...(search ? { search } : {}),
    });
    const signed = signedOf(c);
    return page(
      c,
      "Users",
      "users",
      <>
        <Notice text={noticeText(query(c))} />
        <form method="get" action={`${ADMIN_PAGES}/users`} class="filters" aria-label="Find users">
          <div>
            <label for="f-search">User name contains</label>
            <input id="f-search" name="search" value={search} autocomplete="off" />
          </div>
          <button type="submit">Search</button>
        </form>
        <Pager st={st} total={r.total} where="top" noun="users" />
        <UserTable items={r.items} now={now()} canWrite={signed.canWrite} csrf={csrfToken(c)} st={st} />
        <Pager st={st} total={r.total} where="bottom" noun="users" />
      </>,
    );
  });

  for (const [action, question, consequence, confirm] of CONFIRMED) {
    app.get(`/users/:id/${action}`, async (c) => {
      const u = await core.admin.user(c.req.param("id"));
      if (!u.ok) return failed(c, u.error, "users");
      const sessions = (await core.sessions.ofUser(u.value.dn)).length;
      const back = backTo(c.req.query("back"), `${ADMIN_PAGES}/users`);
      return page(
        c,
        question,
        "users",
        <Confirm
          question={`${question}: ${u.value.username}?`}
          consequence={consequence}
          action={`${ADMIN_PAGES}/users/${c.req.param("id")}/${action}`}
          confirm={`${confirm} (${sessions} session${sessions === 1 ? "" : "s"})`}
          cancel={back}
          back={back}
          csrf={csrfToken(c)}
          facts={[
            ["User", u.value.username],
            ["Active sessions", String(sessions)],
          ]}
        />,
      );
    });
  }

  for (const action of ["logout-all", "disable", "enable", "lock", "unlock"] as const) {
    app.post(`/users/:id/${action}`, async (c) => {
      const id = c.req.param("id");
      const actor = pageActor(c);
      const who = await core.admin.user(id);
      const r =
        action === "logout-all"
          ? await core.admin.logoutAll(id, actor)
          : action === "lock" || action === "unlock"
            ? await core.admin.setLocked(id, action === "lock", actor)
            : await core.admin.setDisabled(id, action === "disable", actor);
      if (!r.ok) return failed(c, r.error, "users");
      const back = backTo((await form(c)).back, `${ADMIN_PAGES}/users`);
      const n =
        "terminated" in r.value && typeof r.value.terminated === "number" ? r.value.terminated : undefined;
      return c.redirect(withNotice(back, action, who.ok ? who.value.username : "", n), 303);
    });
  }

  app.get("/alarms", async (c) => {
    const { user, userId, nobody } = await userFilter(c);
    const st = listState(`${ADMIN_PAGES}/alarms`, query(c), { user }, [], "");
    const r = nobody
      ? { total: 0, entries: [] }
      : await core.admin.alarms({ limit: st.limit, offset: st.offset, ...(userId ? { userId } : {}) });
    const signed = signedOf(c);
    return page(
      c,
      "Alarms",
      "alarms",
      <>
        <Notice text={noticeText(query(c))} />
        <Pager st={st} total={r.total} where="top" noun="alarms" />
        <AlarmTable items={r.entries} now={now()} canWrite={signed.canWrite} csrf={csrfToken(c)} />
        <Pager st={st} total={r.total} where="bottom" noun="alarms" />
      </>,
    );
  });

  app.post("/alarms/:id/acknowledge", async (c) => {
    const id = Number.parseInt(c.req.param("id"), 10);
    const open = await core.admin.alarms({ open: true, limit: 1000, offset: 0 });
    const who = open.entries.find((a) => a.id === id)?.username ?? "";
    const r = await core.admin.acknowledge(Number.isSafeInteger(id) ? id : -1, pageActor(c));
    if (!r.ok) return failed(c, r.error, "alarms");
    return c.redirect(withNotice(`${ADMIN_PAGES}/alarms`, "acknowledged", who), 303);
  });

  app.get("/audit", async (c) => {
    const { user, userId, nobody } = await userFilter(c);
    const type = AUDIT_TYPES.find((t) => t === c.req.query("type")) ?? "";
    const from = dateTimeLocal(c.req.query("from"));
    const to = dateTimeLocal(c.req.query("to"));
    const st = listState(`${ADMIN_PAGES}/audit`, query(c), { user, type, from, to }, [], "");
    const r = nobody
      ? { total: 0, entries: [] }
      : await core.admin.audit({
          limit: st.limit,
          offset: st.offset,
          ...(userId ? { userId } : {}),
          ...(type ? { type } : {}),
          ...(from ? { since: Date.parse(`${from}Z`) } : {}),
          ...(to ? { until: Date.parse(`${to}Z`) } : {}),
        });
    const told = await core.admin.toldAbout(r.entries);
    return page(
      c,
      "Auth Audit",
      "audit",
      <>
        <AuditFilters user={user} type={type} from={from} to={to} />
        <Pager st={st} total={r.total} where="top" noun="events" />
        <AuditTable items={r.entries} now={now()} />
        <ToldRps items={told} />
        <Pager st={st} total={r.total} where="bottom" noun="events" />
      </>,
    );
  });

  return app;
}

const CONFIRMED: [string, string, string, string][] = [
  [
    "logout-all",
    "Logout all devices",
    "Every session and token of this user ends now, on every device; they must sign in again.",
    "Logout all devices",
  ],
  [
    "disable",
    "Disable user",
    "They cannot sign in, and every session and token of theirs ends now.",
    "Disable user",
  ],
];

const SESSION_SORTS = ["created", "lastActive", "expires", "user"];

/** A datetime-local value (`2026-01-31T12:00`), or "" for anything else. */
function dateTimeLocal(raw: string | undefined): string {
  const v = (raw ?? "").slice(0, 19);
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(v) && Number.isFinite(Date.parse(`${v}Z`)) ? v : "";
}

// Set by the sign-in middleware before any page that reads it.
const signedOf = (c: FaceContext) => c.get("signed")!;

const pageActor = (c: FaceContext) => personActor(c, "admin", signedOf(c).name);
