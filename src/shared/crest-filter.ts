// The CREST query filter grammar (ForgeRock's QueryFilters, `_queryFilter`), shared by the CLI
// (which checks a filter before sending it) and the server (which turns it into a query).
//
//   Expr       := OrExpr
//   OrExpr     := AndExpr ("or" AndExpr)*
//   AndExpr    := NotExpr ("and" NotExpr)*
//   NotExpr    := "!" PrimaryExpr | PrimaryExpr
//   PrimaryExpr:= "(" Expr ")" | Pointer OpName JsonValue | Pointer "pr" | "true" | "false"
//   OpName     := eq | co | sw | gt | ge | lt | le      (keywords case-insensitive)
//   JsonValue  := NUMBER | true | false | '"' any characters but '"' '"'
//
// Tokens are separated by spaces and parentheses, as ForgeRock's tokenizer does; a pointer is a
// JSON pointer with or without its leading slash (`/username` or `username`).

export const CREST_OPERATORS = ["eq", "co", "sw", "gt", "ge", "lt", "le"] as const;
export type CrestOperator = (typeof CREST_OPERATORS)[number];
export type CrestValue = string | number | boolean;

export type CrestFilter =
  | { type: "and" | "or"; filters: CrestFilter[] }
  | { type: "not"; filter: CrestFilter }
  | { type: "literal"; value: boolean }
  | { type: "present"; field: string[] }
  | { type: "compare"; op: CrestOperator; field: string[]; value: CrestValue };

export interface CrestFilterError {
  kind: "queryFilter";
  message: string;
  /** 0-based offset in the input where the problem is. */
  position: number;
}

export type CrestParseResult = { ok: true; filter: CrestFilter } | { ok: false; error: CrestFilterError };

/** Deeper nesting is refused: the filter becomes a recursive query downstream. */
export const MAX_FILTER_DEPTH = 64;
const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

interface Token {
  text: string;
  pos: number;
  /** A quoted string's content (no escapes in CREST: it ends at the next quote). */
  quoted: boolean;
}

class ParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === " ") {
      i++;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ text: ch, pos: i++, quoted: false });
    } else if (ch === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw new ParseError("unterminated string", i);
      tokens.push({ text: input.slice(i + 1, end), pos: i, quoted: true });
      i = end + 1;
    } else {
      const start = i;
      while (i < input.length && !" ()".includes(input[i]!)) i++;
      tokens.push({ text: input.slice(start, i), pos: start, quoted: false });
    }
  }
  return tokens;
}

/** Splits a JSON pointer into its decoded segments. */
function pointer(text: string): string[] {
  const body = text.startsWith("/") ? text.slice(1) : text;
  return body.split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly end: number,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    return t !== undefined && !t.quoted && t.text.toLowerCase() === word;
  }

  private next(expected: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new ParseError(`expected ${expected} but the filter ended`, this.end);
    return t;
  }

  parse(): CrestFilter {
    const f = this.or(0);
    const t = this.peek();
    if (t) throw new ParseError(`unexpected "${t.text}"`, t.pos);
    return f;
  }

  private list(type: "and" | "or", depth: number, item: (d: number) => CrestFilter): CrestFilter {
    const first = item(depth);
    const filters = [first];
    while (this.keyword(type)) {
      this.i++;
      filters.push(item(depth));
    }
    return filters.length === 1 ? first : { type, filters };
  }

  private or(depth: number): CrestFilter {
    return this.list("or", depth, (d) => this.and(d));
  }

  private and(depth: number): CrestFilter {
    return this.list("and", depth, (d) => this.not(d));
  }

  private not(depth: number): CrestFilter {
    if (!this.keyword("!")) return this.primary(depth);
    const bang = this.next("!");
    if (depth >= MAX_FILTER_DEPTH) throw new ParseError(`nested deeper than ${MAX_FILTER_DEPTH}`, bang.pos);
    return { type: "not", filter: this.primary(depth + 1) };
  }

  private primary(depth: number): CrestFilter {
    const t = this.next("a comparison, ( or true/false");
    if (!t.quoted && t.text === "(") {
      if (depth >= MAX_FILTER_DEPTH) throw new ParseError(`nested deeper than ${MAX_FILTER_DEPTH}`, t.pos);
      const inner = this.or(depth + 1);
      const close = this.next(")");
      if (close.quoted || close.text !== ")")
        throw new ParseError(`expected ) but found "${close.text}"`, close.pos);
      return inner;
    }
    if (t.quoted || t.text === ")") throw new ParseError(`expected a field but found "${t.text}"`, t.pos);
    const word = t.text.toLowerCase();
    if (word === "true" || word === "false") return { type: "literal", value: word === "true" };
    return this.assertion(t);
  }

  private assertion(fieldToken: Token): CrestFilter {
    const field = pointer(fieldToken.text);
    const opToken = this.next(`an operator after "${fieldToken.text}"`);
    const op = opToken.quoted ? "" : opToken.text.toLowerCase();
    if (op === "pr") return { type: "present", field };
    if (!(CREST_OPERATORS as readonly string[]).includes(op))
      throw new ParseError(
        `unknown operator "${opToken.text}" (one of ${CREST_OPERATORS.join(", ")}, pr)`,
        opToken.pos,
      );
    return { type: "compare", op: op as CrestOperator, field, value: this.value(op) };
  }

  private value(op: string): CrestValue {
    const v = this.next(`a value after "${op}"`);
    if (v.quoted) return v.text;
    const word = v.text.toLowerCase();
    if (word === "true" || word === "false") return word === "true";
    if (NUMBER.test(v.text) && Number.isFinite(Number(v.text))) return Number(v.text);
    throw new ParseError(`expected a number, true, false or a "quoted string" but found "${v.text}"`, v.pos);
  }
}

/** Parses a CREST query filter; never throws. */
export function parseQueryFilter(input: string): CrestParseResult {
  try {
    const tokens = tokenize(input);
    if (tokens.length === 0) return fail("the filter is empty", 0);
    return { ok: true, filter: new Parser(tokens, input.length).parse() };
  } catch (err) {
    if (err instanceof ParseError) return fail(err.message, err.position);
    throw err;
  }
}

function fail(message: string, position: number): CrestParseResult {
  return { ok: false, error: { kind: "queryFilter", message, position } };
}

function printPointer(field: string[]): string {
  return `/${field.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

function printValue(v: CrestValue): string {
  if (typeof v !== "string") return String(v);
  if (v.includes('"')) throw new Error("a CREST string cannot hold a double quote");
  return `"${v}"`;
}

/** Prints a filter in the grammar above; parseQueryFilter gives the same filter back. */
export function printQueryFilter(f: CrestFilter): string {
  switch (f.type) {
    case "literal":
      return String(f.value);
    case "present":
      return `${printPointer(f.field)} pr`;
    case "compare":
      return `${printPointer(f.field)} ${f.op} ${printValue(f.value)}`;
    case "not":
      return `!(${printQueryFilter(f.filter)})`;
    case "and":
    case "or":
      return f.filters.map((x) => `(${printQueryFilter(x)})`).join(` ${f.type} `);
  }
}
