import { describe, expect, it } from "vitest";
import { decodeResume, detectStrategy, encodeResume, makePager } from "../../src/client/pager.js";
import { LiteHeaders } from "../../src/http/lite.js";
import { getOperation, queryParam } from "../helpers/models.js";

const op = (...names: string[]) => ({
  ...getOperation(
    "list",
    names.map((n) => queryParam(n, { type: "integer" })),
  ),
  path: "/x",
});
const args = { path: {}, query: {}, header: {}, cookie: {} };
const page = (body: unknown, link?: string) => {
  const headers = new LiteHeaders();
  if (link) headers.set("link", link);
  return { body, headers, origin: "https://api.test" };
};

describe("pager", () => {
  it.each([
    [["startIndex", "limit"], "start-index"],
    [["offset", "limit"], "offset"],
    [["page", "per_page"], "page"],
    [["cursor"], "cursor"],
    [["after", "limit"], "cursor"],
    [["q"], "link"],
  ])("detects %j as %s", (names, strategy) => {
    expect(detectStrategy(op(...names))).toBe(strategy);
  });

  it("start-index: advances by the items seen and stops at the total", () => {
    // Where the total lives is the document's to say (x-opcli-paging).
    const p = makePager(
      { ...op("startIndex", "limit"), paging: { total: "totalEntriesCount" } },
      "start-index",
      2,
    );
    const first = p.first(args);
    expect(first.args.query).toEqual({ startIndex: 0, limit: 2 });
    const second = p.next(first, page({ totalEntriesCount: 3 }), [1, 2])!;
    expect(second.args.query).toEqual({ startIndex: 2, limit: 2 });
    expect(p.next(second, page({ totalEntriesCount: 3 }), [3])).toBeUndefined();
  });

  it("offset without a total: stops on a short page", () => {
    const p = makePager(op("offset", "limit"), "offset", 10);
    const first = p.first(args);
    expect(p.next(first, page([]), Array(10).fill(0))?.args.query).toMatchObject({ offset: 10 });
    expect(p.next(first, page([]), Array(9).fill(0))).toBeUndefined();
  });

  it("page: counts pages from 1; an empty page ends", () => {
    const p = makePager(op("page", "per_page"), "page", 50);
    const first = p.first(args);
    expect(first.args.query).toEqual({ page: 1, per_page: 50 });
    expect(p.next(first, page([]), Array(50).fill(0))?.args.query).toMatchObject({ page: 2 });
    expect(p.next(first, page([]), [])).toBeUndefined();
  });

  it("cursor: follows the body's next cursor until there is none", () => {
    const p = makePager(op("cursor"), "cursor", 10);
    const first = p.first(args);
    expect(p.next(first, page({ meta: { next_cursor: "abc" } }), [1])?.args.query).toEqual({ cursor: "abc" });
    expect(p.next(first, page({ meta: {} }), [1])).toBeUndefined();
  });

  it("link: follows rel=next headers, resolved against the origin", () => {
    const p = makePager(op("q"), "link", 10);
    const first = p.first(args);
    const next = p.next(first, page([], '</x?page=2>; rel="next", </x?page=9>; rel="last"'), [1]);
    expect(next?.url).toBe("https://api.test/x?page=2");
    expect(p.next(first, page([]), [1])).toBeUndefined();
  });

  it("a resume token carries the position and is refused for another operation", () => {
    const token = encodeResume(op("offset", "limit"), "offset", { at: 40 });
    expect(decodeResume(token, op("offset", "limit"))).toEqual({ strategy: "offset", state: { at: 40 } });
    const other = { ...op("offset", "limit"), id: "other" };
    expect(() => decodeResume(token, other)).toThrow("--resume: not a resume token for other");
    expect(() => decodeResume("garbage", other)).toThrow(/not a resume token/);
  });
});
