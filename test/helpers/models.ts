import type { OperationModel, ParamModel, ParamSchema } from "../../src/spec/model.js";

// Operation models for unit tests, built the way build-model.ts fills them.

export function queryParam(name: string, schema: ParamSchema = {}): ParamModel {
  return {
    name,
    in: "query",
    required: false,
    description: "",
    style: "form",
    explode: true,
    allowReserved: false,
    schema,
  };
}

/** A GET operation with the given query parameters. */
export function getOperation(id: string, params: ParamModel[] = []): OperationModel {
  return {
    id,
    derivedId: false,
    method: "GET",
    path: `/${id}`,
    fixedQuery: [],
    tags: [],
    summary: "",
    description: "",
    params,
    security: [],
    servers: [],
  };
}
