import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type LiteFetch, LiteHeaders, type LiteRequest, LiteResponse } from "../../src/http/lite.js";
import { runInProcess, testEnv } from "../helpers/cli-io.js";

// Requests exactly as the document describes them: a `#fragment` of a path key is a label and
// never sent; a required query parameter with one allowed value is filled in; Accept from the
// response media types (and --accept); basic auth needs user:password; no body where the
// operation takes none (a GET's requestBody is ignored in 3.0); a body schema ajv cannot compile
// is a warning naming --no-validate, and an `$id` in an example does not break validation.

const DOC = `openapi: 3.0.3
info: { title: exact, version: "1" }
servers: [{ url: http://api.test }]
components:
  securitySchemes:
    basicAuth: { type: http, scheme: basic }
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: { type: string }
        example: { type: string }
        other: { $ref: "#/components/schemas/Other" }
      example: { $id: "https://example.com/thing", name: thing }
    Other:
      type: object
      example: { $id: "https://example.com/thing" }
    Broken:
      type: object
      properties:
        code: { type: string, pattern: "([" }
paths:
  /files/{id}#get_shared_link:
    get:
      operationId: get-shared-link
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }
  /files/{id}#download:
    get:
      operationId: download
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok, content: { application/octet-stream: {}, text/plain: {} } } }
  /rpc#logout:
    post:
      operationId: rpc-logout
      parameters: [{ name: _action, in: query, required: true, schema: { type: string, enum: [logout] } }]
      responses: { "204": { description: done } }
  /search:
    get:
      operationId: search
      requestBody: { content: { application/x-www-form-urlencoded: { schema: { type: object } } } }
      responses: { "200": { description: ok, content: { application/json: {} } } }
  /things:
    post:
      operationId: create-thing
      requestBody: { required: true, content: { application/json: { schema: { $ref: "#/components/schemas/Thing" } } } }
      responses: { "201": { description: ok } }
  /broken:
    post:
      operationId: create-broken
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Broken" } } } }
      responses: { "201": { description: ok } }
  /basic:
    get:
      operationId: basic-op
      security: [{ basicAuth: [] }]
      responses: { "200": { description: ok } }
  /items:
    get:
      operationId: list-items
      parameters: [{ name: owner, in: query, schema: { type: string } }]
      responses: { "200": { description: ok, content: { application/json: {} } } }
    delete:
      operationId: delete-items
      parameters: [{ name: owner, in: query, schema: { type: string } }]
      responses: { "204": { description: ok } }
  /upload:
    post:
      operationId: upload
      requestBody: { content: { application/octet-stream: { schema: { type: string, format: binary } } } }
      responses: { "204": { description: ok } }
  /nobody:
    post:
      operationId: no-body
      responses: { "204": { description: ok } }
`;

let spec: string;
const sent: LiteRequest[] = [];
const transport: LiteFetch = async (req) => {
  sent.push(req);
  return new LiteResponse(
    Buffer.from("{}"),
    200,
    "OK",
    new LiteHeaders({ "content-type": "application/json" }),
    req.url,
  );
};
beforeAll(() => {
  spec = join(mkdtempSync(join(tmpdir(), "opcli-exact-")), "exact.yaml");
  writeFileSync(spec, DOC);
});

async function run(args: string[]) {
  sent.length = 0;
  const r = await runInProcess(["--spec", spec, ...args], {
    env: testEnv({ OPCLI_ACCESS_TOKEN: "t" }),
    transport,
  });
  return { ...r, sent: [...sent] };
}

describe("exact requests", () => {
  it("a #fragment in a path key is never sent", async () => {
    const r = await run(["--operation-id", "get-shared-link", "--url-suffix", "id:1"]);
    expect(r.code).toBe(0);
    expect(r.sent.map((q) => q.url)).toEqual(["http://api.test/files/1"]);
  });

  it("a required query parameter with one allowed value is filled in, once", async () => {
    const r = await run(["--operation-id", "rpc-logout"]);
    expect(r.code).toBe(0);
    expect(r.sent.map((q) => q.url)).toEqual(["http://api.test/rpc?_action=logout"]);
  });

  it("Accept is what the operation's responses declare; --accept overrides it", async () => {
    const d = await run(["--operation-id", "download", "--url-suffix", "id:1", "-o", "raw"]);
    expect(d.sent[0]!.headers.get("accept")).toBe("application/octet-stream, text/plain");
    const j = await run(["--operation-id", "get-shared-link", "--url-suffix", "id:1"]);
    expect(j.sent[0]!.headers.get("accept")).toBe("application/json");
    const o = await run([
      "--operation-id",
      "download",
      "--url-suffix",
      "id:1",
      "--accept",
      "text/plain",
      "-o",
      "raw",
    ]);
    expect(o.sent[0]!.headers.get("accept")).toBe("text/plain");
  });

  it.each([
    [["--operation-id", "search", "--data", "{}"], /search takes no request body/],
    [["--operation-id", "no-body", "--data", "{}"], /no-body takes no request body/],
    [["--operation-id", "basic-op", "--access-token", "t"], /user:password/],
  ])("%j is refused before anything is sent", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.sent).toHaveLength(0);
  });

  it("--dry-run of a DELETE with query filters reads with those filters and sends no DELETE", async () => {
    const r = await run(["--operation-id", "delete-items", "--endpoint-args", "owner:ann", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.sent.map((q) => `${q.method} ${q.url}`)).toEqual(["GET http://api.test/items?owner=ann"]);
  });

  it("--curl of a binary body keeps every byte, NULs included (piped in as base64)", async () => {
    const bytes = Buffer.from([0x00, 0x01, 0x27, 0x0a, 0xff, 0x00, 0x5c]);
    const file = join(mkdtempSync(join(tmpdir(), "opcli-bin-")), "body.bin");
    writeFileSync(file, bytes);
    const r = await run(["--operation-id", "upload", "--data", `@${file}`, "--curl"]);
    expect(r.code).toBe(0);
    expect(r.sent).toHaveLength(0);
    expect(r.stdout).not.toContain("\\x00");
    const b64 = /^printf '%s' (\S+) \| base64 -d \| curl -X POST /.exec(r.stdout)?.[1];
    expect(Buffer.from(b64!, "base64")).toEqual(bytes);
    expect(r.stdout).toContain("--data-binary @-");
  });

  it("basic auth with user:password is sent as RFC 7617 says", async () => {
    const r = await run(["--operation-id", "basic-op", "--access-token", "ann:pw"]);
    expect(r.code).toBe(0);
    expect(r.sent[0]!.headers.get("authorization")).toBe(`Basic ${Buffer.from("ann:pw").toString("base64")}`);
  });

  it("an $id inside an example does not switch validation off", async () => {
    const bad = await run(["--operation-id", "create-thing", "--data", '{"name":5}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--data does not match Thing: \/name/);
    expect(bad.sent).toHaveLength(0);
    expect((await run(["--operation-id", "create-thing", "--data", '{"name":"x"}'])).code).toBe(0);
  });

  it("a schema ajv cannot compile is a warning naming --no-validate, not a silent skip", async () => {
    const r = await run(["--operation-id", "create-broken", "--data", '{"code":"x"}']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^opcli: warning: the document's body schema cannot be checked .*--no-validate/m,
    );
  });
});
