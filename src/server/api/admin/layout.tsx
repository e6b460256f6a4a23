import type { Child, FC } from "hono/jsx";
import { ADMIN_PAGES } from "../kit/mounts.js";

// The admin console's page frame and small pieces: server-rendered, no script (the CSP allows
// none), styles from one stylesheet; usable by keyboard and at 375 px wide.

export const ADMIN_CSS_PATH = `${ADMIN_PAGES}/assets/admin.css`;

export const ADMIN_CSS = `*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
a{color:#0b57d0}a:focus,button:focus,input:focus,select:focus,[tabindex]:focus{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
header{background:#1f2937;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a{color:#fff}header nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
header a[aria-current=page]{font-weight:700;text-decoration:underline}
header form{margin-left:auto}header button{background:transparent;color:#fff;border:1px solid #fff}
main{padding:1rem;max-width:90rem}h1{font-size:1.5rem;margin:.5rem 0 1rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:1rem}
.filters label{display:block;font-size:.9rem}
input,select{font:inherit;padding:.35rem .5rem;border:1px solid #6b7280;border-radius:4px}
button,.button{font:inherit;padding:.35rem .8rem;border-radius:4px;border:1px solid #374151;background:#f3f4f6;color:#1a1a1a;cursor:pointer;text-decoration:none;display:inline-block}
button.danger,.button.danger{background:#b91c1c;border-color:#7f1d1d;color:#fff}
.table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #d1d5db;vertical-align:top}th{background:#f3f4f6}
td form{display:inline}.actions{white-space:nowrap;width:1%}.nowrap{white-space:nowrap}
th a{color:inherit;text-decoration:none}th a:hover{text-decoration:underline}th .arrow{color:#4b5563}
details.menu{position:relative;display:inline-block}
details.menu summary{list-style:none;cursor:pointer;padding:.15rem .6rem;border:1px solid #6b7280;border-radius:4px;background:#fff}
details.menu summary::-webkit-details-marker{display:none}details.menu summary:focus{outline:3px solid #0b57d0;outline-offset:2px}
.menu-items{position:absolute;right:0;z-index:3;background:#fff;border:1px solid #9ca3af;border-radius:6px;box-shadow:0 4px 16px #0003;min-width:15rem;padding:.25rem 0;margin:.25rem 0 0;list-style:none;white-space:normal}
.menu-items form{display:block}.menu-items a,.menu-items button{display:block;width:100%;text-align:left;padding:.45rem .9rem;border:0;border-radius:0;background:none;color:#1a1a1a;text-decoration:none;font:inherit;cursor:pointer}
.menu-items a:hover,.menu-items button:hover{background:#f3f4f6}.menu-items .danger-text{color:#b91c1c;font-weight:600}
.pager{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem 1rem;align-items:center;margin:.75rem 0}
.pager nav{display:flex;gap:1rem;align-items:center}.per-page{display:flex;gap:.5rem;align-items:center}
.banner{border:2px solid #b45309;background:#fffbeb;color:#78350f;padding:.75rem 1rem;margin:0 0 1rem;border-radius:4px}
.notice{border:2px solid #166534;background:#f0fdf4;color:#14532d;padding:.75rem 1rem;margin:0 0 1rem;border-radius:4px}
.error{border:2px solid #991b1b;background:#fef2f2;color:#7f1d1d;padding:.75rem 1rem;margin:0 0 1rem;border-radius:4px}
.empty{padding:2rem 1rem;text-align:center;color:#374151;border:1px dashed #9ca3af;border-radius:4px}
.dialog{max-width:36rem;border:1px solid #9ca3af;border-radius:6px;padding:1rem 1.25rem;box-shadow:0 4px 16px #0002}
.dialog{position:static;margin:0}.dialog dl div{display:flex;gap:1rem}.dialog dt{font-weight:600;min-width:8rem}.dialog dd{margin:0}
.login{max-width:24rem;margin:3rem auto}.login label{display:block;margin:.8rem 0 .2rem}.login input{width:100%}
.login button{margin-top:1rem}
@media (max-width:40rem){main{padding:.75rem}
.cards,.cards tbody{display:block}.cards thead{position:absolute;left:-9999px}
.cards tr{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:.1rem .75rem;padding:.6rem .25rem;border-bottom:1px solid #d1d5db}
.cards td{display:block;border:0;padding:0;grid-column:1;min-width:0}.cards td.no-phone{display:none}
.cards td[data-label]::before{content:attr(data-label) ": ";color:#4b5563;font-size:.85rem}
.cards td:first-child{grid-column:1 / -1;font-weight:600;overflow-wrap:anywhere}.cards td:first-child::before{content:none}
.cards td.actions{grid-column:2;grid-row:2 / span 3;align-self:start;width:auto}.cards{font-size:.9rem}
.table-wrap{overflow-x:visible}.filters input{max-width:100%}}`;

export type Section = "sessions" | "users" | "alarms" | "audit";

const NAV: [Section, string, string][] = [
  ["sessions", "Sessions", `${ADMIN_PAGES}/sessions`],
  ["users", "Users", `${ADMIN_PAGES}/users`],
  ["alarms", "Alarms", `${ADMIN_PAGES}/alarms`],
  ["audit", "Auth Audit", `${ADMIN_PAGES}/audit`],
];

export const Hidden: FC<{ name: string; value: string }> = ({ name, value }) => (
  <input type="hidden" name={name} value={value} />
);

export const Document: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <title>{`${title} · opcli admin`}</title>
      <link rel="stylesheet" href={ADMIN_CSS_PATH} />
    </head>
    <body>{children}</body>
  </html>
);

export const Layout: FC<{
  title: string;
  section: Section;
  csrf: string;
  admin: string;
  children?: Child;
}> = (p) => (
  <Document title={p.title}>
    <a class="skip" href="#main">
      Skip to content
    </a>
    <header>
      <strong>opcli admin</strong>
      <nav aria-label="Admin sections">
        <ul>
          {NAV.map(([key, label, href]) => (
            <li key={key}>
              <a href={href} aria-current={key === p.section ? "page" : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="post" action={`${ADMIN_PAGES}/logout`}>
        <Hidden name="csrf_token" value={p.csrf} />
        <button type="submit">Sign out {p.admin}</button>
      </form>
    </header>
    <main id="main" tabindex={-1}>
      <h1>{p.title}</h1>
      {p.children}
    </main>
  </Document>
);

/** A relative time, the exact one in the title (hover) and the datetime attribute. */
export const When: FC<{ at: number | null; now: number }> = ({ at, now }) => {
  if (at === null || at === 0) return <span>never</span>;
  const iso = new Date(at).toISOString();
  return (
    <time datetime={iso} title={`${iso.replace("T", " ").slice(0, 19)} UTC`}>
      {relative(at, now)}
    </time>
  );
};

/** Whole units, rounded down (as the CLI's tables): 59.6 minutes is "59 min", never "60 min". */
export function relative(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  const abs = Math.abs(s);
  const [n, unit] =
    abs < 60
      ? [abs, "s"]
      : abs < 3600
        ? [Math.floor(abs / 60), "min"]
        : abs < 86400
          ? [Math.floor(abs / 3600), "h"]
          : [Math.floor(abs / 86400), "d"];
  if (abs < 5) return "just now";
  return s < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** A status message that takes focus when the page loads (after a confirmed action). */
export const Notice: FC<{ text?: string | undefined; kind?: "notice" | "error" }> = ({
  text,
  kind = "notice",
}) =>
  text ? (
    <p class={kind} role={kind === "error" ? "alert" : "status"} tabindex={-1} autofocus>
      {text}
    </p>
  ) : null;
