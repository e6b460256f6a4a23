import type { ServerCore } from "../../core/core.js";
import type { ScopeRequirement } from "../../core/oauth/scopes.js";
import { bearerAuth } from "../kit/bearer.js";
import { apiError } from "../kit/errors.js";

/** The bearer check of one config-api operation, with the scopes its table gives it. */
export function guard(
  core: ServerCore,
  scopes: Readonly<Record<string, ScopeRequirement>>,
  operationId: string,
) {
  return bearerAuth(core, {
    realm: "jans-config-api",
    requirement: scopes[operationId]!,
    what: operationId,
    render: apiError,
  });
}
