import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, loadModelByStat } from "../../src/spec/load.js";
import { deriveOperationId, disambiguate } from "../../src/spec/operation-names.js";

const opts = { toolVersion: "test" };

describe("loadModel", () => {
  it("resolves local and relative-file $refs, merges path-level parameters, derives missing ids", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-spec-"));
    writeFileSync(
      join(dir, "common.yaml"),
      `parameters:
  realm:
    name: realm
    in: path
    required: true
    schema: { $ref: '#/schemas/Name' }
schemas:
  Name: { type: string, enum: [master, other] }
  Thing:
    type: object
    required: [id]
    properties:
      id: { type: integer }
      name: { $ref: '#/schemas/Name' }
`,
    );
    const main = join(dir, "api.yaml");
    const text = `openapi: 3.0.3
info: { title: T, version: "1" }
servers: [{ url: "https://{host}/base", variables: { host: { default: api.example.com } } }]
paths:
  /realms/{realm}/things:
    parameters:
      - $ref: './common.yaml#/parameters/realm'
      - { name: first, in: query, schema: { type: integer } }
    get:
      parameters:
        - { name: first, in: query, description: overridden, schema: { type: string } }
      responses: { "200": { description: ok } }
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: './common.yaml#/schemas/Thing' }
      responses: { "201": { description: ok } }
`;
    writeFileSync(main, text);
    const model = await loadModel(text, main, opts);
    expect(model.operations.map((o) => [o.id, o.derivedId])).toEqual([
      ["get-realms-by-realm-things", true],
      ["createThing", false],
    ]);
    const get = model.operations[0]!;
    expect(get.servers).toEqual(["https://api.example.com/base"]);
    expect(get.params.map((p) => [p.name, p.in, p.description, p.schema.type])).toEqual([
      ["realm", "path", "", "string"],
      ["first", "query", "overridden", "string"],
    ]);
    expect(get.params[0]!.schema.enum).toEqual(["master", "other"]);
    const body = model.operations[1]!.body!;
    expect(body.required).toBe(true);
    expect(body.schema).toEqual({
      type: "object",
      required: ["id"],
      properties: { id: { type: "integer" }, name: { type: "string", enum: ["master", "other"] } },
    });
  });

  it("a warm start finds the model by the file's size and mtime, with schemas read on demand", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-warm-"));
    const file = join(dir, "api.json");
    const doc = {
      openapi: "3.1.0",
      info: { title: "W", version: "1" },
      paths: { "/a": { get: { operationId: "a" } } },
      components: { schemas: { S: { type: "string" } } },
    };
    writeFileSync(file, JSON.stringify(doc));
    const cache = { ...opts, cacheDir: join(dir, "cache") };
    expect(loadModelByStat(file, cache)).toBeUndefined();
    const cold = await loadModel(JSON.stringify(doc), file, cache);
    const warm = loadModelByStat(file, cache);
    expect(warm?.operations).toEqual(cold.operations);
    expect(warm?.schemas).toEqual({ S: { type: "string" } });
    writeFileSync(file, JSON.stringify({ ...doc, info: { title: "changed", version: "2" } }));
    expect(loadModelByStat(file, cache)).toBeUndefined();
  });

  it("a cached model keeps a shared value once, and reads back equal to the compiled one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-shared-"));
    const file = join(dir, "api.json");
    const op = (id: string, extra = {}) => ({
      get: { operationId: id, responses: { 200: { description: "ok" } }, ...extra },
    });
    const doc = {
      openapi: "3.0.3",
      info: { title: "S", version: "1" },
      servers: [{ url: "https://api.example/v1" }],
      security: [{ oauth: ["scope-that-many-operations-share"] }],
      components: { securitySchemes: { oauth: { type: "oauth2", flows: {} } } },
      paths: {
        "/a": op("a"),
        "/b": op("b"),
        "/c": op("c", {
          security: [{ oauth: ["scope-of-one-operation"] }],
          servers: [{ url: "https://other.example" }],
        }),
        "/d": op("d", { security: [] }),
      },
    };
    writeFileSync(file, JSON.stringify(doc));
    const cache = { ...opts, cacheDir: join(dir, "cache") };
    const cold = await loadModel(JSON.stringify(doc), file, cache);
    const warm = loadModelByStat(file, cache);
    expect(warm?.operations).toEqual(cold.operations);
    expect(warm?.operations.map((o) => o.security)).toEqual(cold.operations.map((o) => o.security));
    const cached = readdirSync(cache.cacheDir).find((f) => /^[0-9a-f]{64}-.*-test\.json$/.test(f));
    const text = readFileSync(join(cache.cacheDir, cached!), "utf8");
    expect(text.split("scope-that-many-operations-share").length - 1).toBe(1);
    expect(text.split("https://api.example/v1").length - 1).toBe(1);
  });

  it("caches the compiled model by content and reuses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-cache-"));
    const text = JSON.stringify({
      openapi: "3.1.0",
      info: { title: "C", version: "1" },
      paths: { "/a": { get: { operationId: "a" } } },
    });
    const first = await loadModel(text, "/x/a.json", { ...opts, cacheDir: dir });
    const second = await loadModel(text, "/y/a.json", { ...opts, cacheDir: dir });
    expect(second.operations).toEqual(first.operations);
    expect(second.source).toBe("/y/a.json");
  });

  it.each([
    ["not yaml: [", /cannot parse/],
    ['{"swagger":"1.2","paths":{}}', /Swagger 1.2 is not supported \(only 2.0\)/],
    ['{"info":{}}', /not an OpenAPI 3.0\/3.1 or Swagger 2.0 document/],
  ])("%j fails with a clear message", async (text, message) => {
    await expect(loadModel(text, "/tmp/x.yaml", opts)).rejects.toThrow(message);
  });

  it("keeps going past a broken $ref, reporting it once", async () => {
    const warnings: string[] = [];
    const text =
      "openapi: 3.0.0\ninfo: {title: x, version: 1}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/nope'}, {name: q, in: query}]\n";
    const model = await loadModel(text, "/tmp/x.yaml", { ...opts, onWarning: (w) => warnings.push(w) });
    expect(model.operations[0]!.params.map((p) => p.name)).toEqual(["q"]);
    expect(warnings).toEqual(['cannot resolve $ref "#/nope"; parameter skipped']);
  });

  it("converts Swagger 2.0: servers, body and formData parameters, collectionFormat, security", async () => {
    const doc = {
      swagger: "2.0",
      info: { title: "S", version: "1" },
      host: "api.example.com",
      basePath: "/v1",
      schemes: ["https"],
      consumes: ["application/json"],
      securityDefinitions: {
        basic: { type: "basic" },
        oa: { type: "oauth2", flow: "application", tokenUrl: "https://t/token", scopes: { read: "r" } },
      },
      paths: {
        "/items/{id}": {
          parameters: [{ name: "id", in: "path", required: true, type: "integer" }],
          put: {
            operationId: "putItem",
            parameters: [
              {
                name: "tags",
                in: "query",
                type: "array",
                items: { type: "string" },
                collectionFormat: "pipes",
              },
              { name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Item" } },
            ],
          },
          post: {
            operationId: "upload",
            consumes: ["multipart/form-data"],
            parameters: [
              { name: "file", in: "formData", type: "file", required: true },
              { name: "note", in: "formData", type: "string" },
            ],
          },
        },
      },
      definitions: { Item: { type: "object", properties: { n: { type: "integer" } } } },
    };
    const model = await loadModel(JSON.stringify(doc), "/tmp/s.json", opts);
    const [put, post] = model.operations;
    expect(put!.servers).toEqual(["https://api.example.com/v1"]);
    expect(put!.params.map((p) => [p.name, p.in, p.style, p.explode, p.schema.type])).toEqual([
      ["id", "path", "simple", false, "integer"],
      ["tags", "query", "pipeDelimited", false, "array"],
    ]);
    expect(put!.body).toMatchObject({ required: true, mediaTypes: ["application/json"], schemaName: "Item" });
    expect(model.schemas.Item).toBeDefined();
    expect(post!.body?.mediaTypes).toEqual(["multipart/form-data"]);
    expect(post!.body?.schema).toMatchObject({
      properties: { file: { type: "string", format: "binary" } },
      required: ["file"],
    });
    expect(model.securitySchemes).toEqual({
      basic: { type: "http", scheme: "basic" },
      oa: { type: "oauth2", tokenUrl: "https://t/token", scopes: ["read"] },
    });
  });
});

describe("operation names", () => {
  it.each([
    ["get", "/users/{id}/roles", "get-users-by-id-roles"],
    ["post", "/admin/realms/{realm}/clients", "post-admin-realms-by-realm-clients"],
    [
      "delete",
      "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json",
      "delete-2010-04-01-accounts-by-account-sid-calls-by-sid-json",
    ],
    ["get", "/", "get"],
  ])("%s %s -> %s", (method, path, id) => {
    expect(deriveOperationId(method, path)).toBe(id);
  });

  it("disambiguates clashes, including ones that differ only in case, and reports each once", () => {
    expect(disambiguate(["userGetOauth2Application", "userGetOAuth2Application", "x", "x"])).toEqual({
      ids: ["userGetOauth2Application", "userGetOAuth2Application-2", "x", "x-2"],
      warnings: [
        'operation id "userGetOAuth2Application" clashes with an earlier one; available as "userGetOAuth2Application-2"',
        'operation id "x" clashes with an earlier one; available as "x-2"',
      ],
    });
  });
});
