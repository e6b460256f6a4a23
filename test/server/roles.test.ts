import { describe, expect, it } from "vitest";
import {
  ALL_SCOPES,
  canonicalRole,
  KNOWN_ROLES,
  ROLE_SCOPES,
  roleNamesOf,
  scopesOfRoles,
} from "../../src/server/core/oauth/scopes.js";
import { must } from "../helpers/must.js";
import { harness, PASSWORD } from "../helpers/server-harness.js";

describe("Janssen's admin UI roles, current names and old aliases", () => {
  it.each([
    ["admin", "admin"],
    ["api-admin", "admin"],
    ["api-viewer", "api-viewer"],
    ["api-manager", undefined],
    ["Admin", undefined],
    ["constructor", undefined],
    ["", undefined],
  ])("canonicalRole(%j) is %j", (role, current) => {
    expect(canonicalRole(role)).toBe(current);
  });

  it.each([
    [["admin"], ["admin", "api-admin"]],
    [["api-admin"], ["admin", "api-admin"]],
    [
      ["api-admin", "admin"],
      ["admin", "api-admin"],
    ],
    [["api-viewer"], ["api-viewer"]],
    [
      ["api-viewer", "api-admin"],
      ["api-viewer", "admin", "api-admin"],
    ],
    [["someone-elses"], ["someone-elses"]],
    [[], []],
  ])("roleNamesOf(%j) lists %j", (roles, names) => {
    expect(roleNamesOf(roles)).toEqual(names);
  });

  it("an alias grants exactly what its current role grants; unknown roles grant nothing", () => {
    expect([...scopesOfRoles(["api-admin"])].sort()).toEqual([...ALL_SCOPES].sort());
    expect(scopesOfRoles(["api-admin"])).toEqual(scopesOfRoles(["admin"]));
    expect(scopesOfRoles(["api-viewer"])).toEqual(new Set(ROLE_SCOPES["api-viewer"]));
    expect(scopesOfRoles(["api-manager", "__proto__"]).size).toBe(0);
  });

  it("user creation accepts every known name and names them all when refusing one", async () => {
    const h = await harness();
    try {
      for (const [i, role] of KNOWN_ROLES.entries())
        expect(must(await h.deps.users.create(`u${i}`, PASSWORD, { roles: [role] })).roles).toEqual([role]);
      expect(await h.deps.users.create("x", PASSWORD, { roles: ["api-editor"] })).toEqual({
        ok: false,
        error: {
          kind: "invalid",
          message: 'unknown role "api-editor" (one of admin, api-viewer, api-admin)',
        },
      });
    } finally {
      await h.close();
    }
  });
});
