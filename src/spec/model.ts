// The format-neutral operation model every command works from. Filled by build-model.ts from
// OpenAPI 3.0/3.1 documents; cached as JSON so a warm start never re-parses the document.

export const MODEL_FORMAT = 9;

export type ParamLocation = "path" | "query" | "header" | "cookie";

/** The parts of a JSON Schema the CLI needs to check and describe an argument. */
export interface ParamSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  default?: unknown;
  items?: ParamSchema;
  minimum?: number;
  maximum?: number;
  /** An ECMAScript pattern the value must match (checked before anything is sent). */
  pattern?: string;
}

export interface ParamModel {
  name: string;
  in: ParamLocation;
  required: boolean;
  description: string;
  style: string;
  explode: boolean;
  allowReserved: boolean;
  schema: ParamSchema;
  /** An API key a security scheme places here, not a parameter the document lists. */
  credential?: true;
  /** What a wrong value probably is and how to find the right one (`x-opcli-hint`). */
  hint?: string;
  /** A scalar example value the document gives (the parameter's, else its schema's). */
  example?: string | number | boolean;
  /** The filter language this parameter takes (`x-opcli-filter`), checked before sending. */
  filter?: FilterGrammar;
}

/** Filter grammars opcli can check (`x-opcli-filter` on a parameter). */
export const FILTER_GRAMMARS = ["field-value-pairs", "crest-query-filter"] as const;
export type FilterGrammar = (typeof FILTER_GRAMMARS)[number];

/**
 * Where a page of results keeps its parts (`x-opcli-paging`), each a dot path into the body:
 * the total the server reports, the items, how many this page holds, the first item's index,
 * and the next page's cursor (with the query parameter that takes it back).
 */
export interface PagingModel {
  total?: string;
  items?: string;
  count?: string;
  start?: string;
  cursorField?: string;
  cursorParam?: string;
}

/** An Encoding Object: how one property of a form or multipart body is serialised. */
export interface EncodingModel {
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
  contentType?: string;
}

export interface BodyModel {
  required: boolean;
  mediaTypes: string[];
  /** Encoding Objects by media type, then by property (form and multipart types only). */
  encodings?: Record<string, Record<string, EncodingModel>>;
  /** Schema of the preferred (JSON if offered) media type, with local $refs kept. */
  schema: unknown;
  /** Component name when the schema is a plain $ref to #/components/schemas/NAME. */
  schemaName?: string;
}

/** One alternative of a security requirement: every scheme listed, each with its scopes. */
export type SecurityAlternative = { scheme: string; scopes: string[] }[];

export interface OperationModel {
  id: string;
  /** True when the id was derived from method + path because the document had none. */
  derivedId: boolean;
  method: string;
  /** The path template, without any fixed query its document's path key carried. */
  path: string;
  /** Query parameters the path key fixes (`/sessions#_action=logout`): sent once, on every call. */
  fixedQuery: { name: string; value: string }[];
  tags: string[];
  summary: string;
  description: string;
  params: ParamModel[];
  body?: BodyModel;
  /** Schema of the success response's JSON body, with local $refs kept (for columns and paging). */
  responseSchema?: unknown;
  /** Media types the success responses declare (what `Accept` asks for); none when they declare none. */
  responseTypes?: string[];
  /** Alternatives; an empty list means no authentication. */
  security: SecurityAlternative[];
  /** Server URLs for this operation (operation, path or document level, variables filled). */
  servers: string[];
  /**
   * How to read what this operation would change (`x-opcli-affected`): another operation and its
   * arguments, `{name}` standing for this call's parameter of that name.
   */
  affected?: { operationId: string; params: Record<string, string> };
  /** Where this operation's pages keep their total, items and cursor (`x-opcli-paging`). */
  paging?: PagingModel;
  /** The TUI screen this operation serves, and how (`x-opcli-screen`). */
  screen?: ScreenModel;
}

/** How a screen's cell reads its field: `time` relative in the table and exact in describe,
 * `earliest-of` the earliest time of its fields, `number` sorts as one, `words` an array joined
 * by spaces, `fixed` the field's text itself (no item path). */
export const SCREEN_KINDS = ["text", "time", "earliest-of", "number", "words", "fixed"] as const;
export type ScreenKind = (typeof SCREEN_KINDS)[number];

/** A dotted path into an item (`sessionAttributes.auth_user`), or several: the first present. */
export type ItemPath = string | string[];

/** One column of a screen's table; `letter`: Shift+letter sorts; `sort`: the list's sort value. */
export interface ScreenColumn {
  header: string;
  field: ItemPath;
  kind?: ScreenKind;
  identifier?: true;
  letter?: string;
  sort?: string;
}

/** The list parameters a screen fills, by role (each names one of the list operation's parameters). */
export const SCREEN_LIST_PARAMS = ["limit", "start", "sort", "order", "pattern"] as const;

/**
 * A TUI screen's operation (`x-opcli-screen`, README "Hints in the document"): the screen's list
 * (which carries the screen: noun, item id, owner, columns, describe summary, list parameters by
 * role, sort order values, the `/` line's filter words), the removal of one item or the
 * revocation of an owner's (`params`: operation parameter -> item path; `count`: list arguments
 * that count what a revocation ends, keys a filter word or a list parameter).
 */
export interface ScreenModel {
  name: string;
  role: "list" | "remove" | "revoke";
  noun?: [string, string];
  id?: ItemPath;
  who?: ItemPath;
  columns?: ScreenColumn[];
  summary?: [string, ItemPath, ScreenKind?][];
  params?: Record<string, ItemPath>;
  order?: [string, string];
  filters?: Record<string, string>;
  count?: Record<string, ItemPath>;
}

export interface SecuritySchemeModel {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  tokenUrl?: string;
  deviceAuthorizationUrl?: string;
  /** Scopes the flows declare. */
  scopes?: string[];
  openIdConnectUrl?: string;
}

export interface ApiModel {
  format: number;
  title: string;
  version: string;
  openapi: string;
  /** Where the document came from, for resolving relative server URLs. */
  source: string;
  tags: { name: string; description: string }[];
  operations: OperationModel[];
  securitySchemes: Record<string, SecuritySchemeModel>;
  schemas: Record<string, unknown>;
  /** Notes for the user: duplicate ids renamed, and so on. */
  warnings: string[];
  /** Where the server's OpenID issuer lives under its origin (`x-opcli-issuer-path`). */
  issuerPath?: string;
  /** Overlays applied to the document before it was read (their titles). */
  overlays?: string[];
}

/** The path as a person reads it: template plus any fixed query (`/sessions?_action=logout`). */
export function displayPath(op: Pick<OperationModel, "path" | "fixedQuery">): string {
  if (op.fixedQuery.length === 0) return op.path;
  return `${op.path}?${op.fixedQuery.map((q) => `${q.name}=${q.value}`).join("&")}`;
}
