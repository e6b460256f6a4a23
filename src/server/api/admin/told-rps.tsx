import type { FC } from "hono/jsx";
import type { ToldRp } from "../../core/admin.js";

// The Auth Audit page's "Relying parties told": for each session ended on the page, which RPs
// were sent a back-channel logout token, and how that went. Its own file: the page includes it.

const STATE: Record<ToldRp["state"], string> = {
  delivered: "Told",
  pending: "Retrying",
  failed: "Gave up",
};

export const ToldRps: FC<{ items: ToldRp[] }> = (p) =>
  p.items.length === 0 ? null : (
    <section class="table-wrap" aria-label="Relying parties told" tabindex={0}>
      <h2>Relying parties told</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Relying party</th>
            <th scope="col">Logout token</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last outcome</th>
          </tr>
        </thead>
        <tbody>
          {p.items.map((t) => (
            <tr key={t.jti} data-rp={t.clientId} data-state={t.state}>
              <td>
                <code>{t.sid.slice(0, 8)}</code>
              </td>
              <td>{t.clientName ?? t.clientId}</td>
              <td>{STATE[t.state]}</td>
              <td>{t.attempts}</td>
              <td>{t.outcome ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
