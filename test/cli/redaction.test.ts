import { describe, expect, it } from "vitest";
import { type LiteFetch, LiteHeaders, LiteResponse } from "../../src/http/lite.js";
import { REDACTED, redactBody, redactHeader, SENSITIVE_FIELDS } from "../../src/http/redact.js";
import { runInProcess, testEnv } from "../helpers/cli-io.js";

// One redaction list for --debug, -v, --curl and error lines: every credential-bearing field,
// PingAM's tokenId and ujwt, OAuth's code and code_verifier, password changes.

const SECRET = "s3cr3t-VALUE-42";

describe("redactBody", () => {
  it.each(SENSITIVE_FIELDS.map((f) => [f]))("%s: JSON, form, query and URL forms", (field) => {
    for (const text of [
      JSON.stringify({ outer: { [field]: SECRET } }),
      `a=1&${field}=${SECRET}&b=2`,
      `${field}=${SECRET}`,
      `https://h.test/cb?state=x&${field}=${SECRET}`,
      `error for ${field}=${SECRET} here`,
    ]) {
      const out = redactBody(text);
      expect(out).not.toContain(SECRET);
      expect(out).toContain(REDACTED);
    }
  });

  it("leaves names that merely contain a sensitive one, and non-string JSON values", () => {
    expect(redactBody("encode=1&codec=mp3")).toBe("encode=1&codec=mp3");
    expect(redactBody('{"code":404,"reason":"Not Found"}')).toBe('{"code":404,"reason":"Not Found"}');
  });

  it("headers: cookies, PingAM's, API keys", () => {
    for (const h of ["Cookie", "X-OpenAM-Password", "iPlanetDirectoryPro", "Authorization"])
      expect(redactHeader(h, `Bearer ${SECRET}`)).not.toContain(SECRET);
  });
});

function answering(status: number, body: string, type = "application/json"): LiteFetch {
  return async (req) =>
    new LiteResponse(
      Buffer.from(body),
      status,
      status === 200 ? "OK" : "Bad Request",
      new LiteHeaders({ "content-type": type }),
      req.url,
    );
}

const env = () => testEnv({ OPCLI_HOST: "http://api.test", OPCLI_ACCESS_TOKEN: "t" });
const login = ["--operation-id", "post-login", "--data", JSON.stringify({ username: "u", password: SECRET })];

describe("redaction in every output", () => {
  it("--debug: tokenId, ujwt and code in answers, the password in the request", async () => {
    const answer = JSON.stringify({ tokenId: SECRET, ujwt: SECRET, code: SECRET, code_verifier: SECRET });
    const r = await runInProcess([...login, "--debug"], { env: env(), transport: answering(200, answer) });
    expect(r.stderr).toContain(REDACTED);
    expect(r.stderr).not.toContain(SECRET);
  });

  it("an error body on stderr and the error line", async () => {
    const r = await runInProcess(login, {
      env: env(),
      transport: answering(400, `new_password=${SECRET}&current_password=${SECRET}`, "text/plain"),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain(SECRET);
  });

  it("--curl redacts the body's password unless --show-secrets, and says so", async () => {
    const r = await runInProcess([...login, "--curl"], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toContain(REDACTED);
    expect(r.stderr).toMatch(/--show-secrets/);
    const shown = await runInProcess([...login, "--curl", "--show-secrets"], { env: env() });
    expect(shown.stdout).toContain(SECRET);
    expect(shown.stderr).toBe("");
  });
});
