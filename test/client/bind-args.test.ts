import { describe, expect, it } from "vitest";
import { parseArgPairs } from "../../src/client/arg-pairs.js";
import { bindArgs } from "../../src/client/bind-args.js";
import { applyHost } from "../../src/client/host.js";
import { pathTemplate, serializeQuery } from "../../src/http/serialize.js";
import type { OperationModel, ParamModel } from "../../src/spec/model.js";

const param = (p: Partial<ParamModel> & Pick<ParamModel, "name" | "in">): ParamModel => ({
  required: false,
  description: "",
  style: p.in === "query" ? "form" : "simple",
  explode: p.in === "query",
  allowReserved: false,
  schema: { type: "string" },
  ...p,
});

const op: OperationModel = {
  id: "search-session",
  derivedId: false,
  method: "GET",
  path: "/s/{sid}",
  fixedQuery: [],
  tags: [],
  summary: "",
  description: "",
  security: [],
  servers: [],
  params: [
    param({ name: "sid", in: "path", required: true }),
    param({ name: "limit", in: "query", schema: { type: "integer", minimum: 1 } }),
    param({ name: "sortOrder", in: "query", schema: { type: "string", enum: ["ascending", "descending"] } }),
    param({ name: "flag", in: "query", schema: { type: "boolean" } }),
    // The document's hint (x-opcli-filter) makes it a filter language, checked before sending.
    param({ name: "fieldValuePair", in: "query", filter: "field-value-pairs" }),
    param({ name: "tags", in: "query", schema: { type: "array", items: { type: "string" } } }),
  ],
};

const bind = (ea: string, us = "sid:x") =>
  bindArgs(op, parseArgPairs(ea, "--endpoint-args"), parseArgPairs(us, "--url-suffix"));

describe("bindArgs", () => {
  it("binds and converts types", () => {
    expect(bind("limit:5,sortOrder:descending,flag:true,tags:a,tags:b")).toEqual({
      path: { sid: "x" },
      query: { limit: 5, sortOrder: "descending", flag: true, tags: ["a", "b"] },
      header: {},
      cookie: {},
    });
  });

  it.each([
    ["bogus:1", "sid:x", /has no parameter "bogus"; valid: sid \(path, string\), limit \(query, integer\)/],
    ["limit:ten", "sid:x", /limit must be an integer, not "ten"/],
    ["limit:0", "sid:x", /limit must be at least 1/],
    ["sortOrder:up", "sid:x", /sortOrder must be one of ascending, descending, not "up"/],
    ["flag:yes", "sid:x", /flag must be true or false/],
    ["limit:1,limit:2", "sid:x", /limit was given 2 times/],
    ["", "", /needs sid \(--url-suffix "sid:VALUE"\)/],
    ["", "nope:1", /has no path parameter "nope"/],
    [
      "fieldValuePair:auth_user=a\\,bad",
      "sid:x",
      /fieldValuePair: pair "bad" has no operator after "bad" .* \(at offset 12 of "auth_user=a,bad"\)/,
    ],
  ])("%j %j is a usage error", (ea, us, message) => {
    expect(() => bind(ea, us)).toThrow(message);
  });

  it("accepts a path parameter in --endpoint-args too, never sending it as a query", () => {
    expect(bind("sid:y", "")).toMatchObject({ path: { sid: "y" }, query: {} });
  });
});

describe("serializeQuery", () => {
  const q = (p: Partial<ParamModel>, value: unknown) =>
    serializeQuery([param({ name: "v", in: "query", ...p })], { v: value as string });
  it.each([
    [
      {},
      "auth_user=admin,expirationDate>2024-10-12 00:00:00",
      "v=auth_user%3Dadmin%2CexpirationDate%3E2024-10-12%2000%3A00%3A00",
    ],
    [{}, ["a", "b"], "v=a&v=b"],
    [{ explode: false }, ["a", "b"], "v=a,b"],
    [{ style: "spaceDelimited", explode: false }, ["a", "b"], "v=a%20b"],
    [{ style: "pipeDelimited", explode: false }, ["a", "b"], "v=a|b"],
    [{ style: "deepObject", explode: true }, { x: 1, y: "z" }, "v%5Bx%5D=1&v%5By%5D=z"],
    [{}, { x: 1, y: 2 }, "x=1&y=2"],
    [{ explode: false }, { x: 1, y: 2 }, "v=x,1,y,2"],
    [{ allowReserved: true }, "a/b?c", "v=a/b?c"],
    [{}, "a/b?c", "v=a%2Fb%3Fc"],
  ])("%j %j", (p, value, expected) => {
    expect(q(p, value)).toBe(expected);
  });

  it("adds style markers for openapi-fetch's path serialiser", () => {
    const params = [
      param({ name: "a", in: "path", style: "label" }),
      param({ name: "b", in: "path", style: "matrix", explode: true }),
      param({ name: "c", in: "path" }),
    ];
    expect(pathTemplate("/x/{a}/{b}/{c}/{d}", params)).toBe("/x/{.a}/{;b*}/{c}/{d}");
  });
});

describe("applyHost", () => {
  it.each([
    [
      "https://jans.local.io",
      "http://127.0.0.1:8080/jans-config-api",
      "http://127.0.0.1:8080/jans-config-api",
    ],
    [
      "http://127.0.0.1:8080/jans-config-api",
      "http://127.0.0.1:9999",
      "http://127.0.0.1:9999/jans-config-api",
    ],
    ["http://127.0.0.1:8080/jans-config-api", "jans.example.com", "https://jans.example.com/jans-config-api"],
    [
      "http://127.0.0.1:8080/jans-config-api",
      "jans.example.com:8443",
      "https://jans.example.com:8443/jans-config-api",
    ],
    ["/api/v31", "http://h:1/", "http://h:1/api/v31"],
    ["http://a/b/", undefined, "http://a/b"],
  ])("%s with %s", (server, host, expected) => {
    expect(applyHost(server, host)).toBe(expected);
  });
  it("needs a host for a relative server", () => {
    expect(() => applyHost("/api", undefined)).toThrow(/relative; give --host/);
    expect(() => applyHost(undefined, undefined)).toThrow(/names no server/);
  });
});
