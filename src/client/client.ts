import { join } from "node:path";
import { Authenticator, type IssuedToken } from "../auth/authenticator.js";
import type { ClientCredentials } from "../auth/client-credentials.js";
import { fileDiscoveryStore } from "../auth/discovery-cache.js";
import { cacheRoot, selectTokenStore } from "../auth/stores/select.js";
import type { OperationCall } from "../http/send.js";
import { ConfigError } from "../platform/errors.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { type Affected, affectedFrom, affectedRead } from "./affected.js";
import { bindArgs } from "./bind-args.js";
import { type CallInput, type CallResult, paramsAsPairs, sendWithAuth, toResult } from "./call.js";
import { type Connection, connect } from "./connection.js";
import { findOperation } from "./lookup.js";
import { loadSpec } from "./model-source.js";
import type { ClientIO, ClientOptions } from "./options.js";
import { detectStrategy } from "./pager.js";
import { type Page, type PageOptions, pages } from "./pages.js";
import { bodyFor } from "./request-body.js";
import { readSecretRef } from "./secret-ref.js";
import { resolveSettings, type Settings } from "./settings.js";

/** An operation call checked and serialised, ready to send (or to print as curl). */
export interface PreparedCall {
  op: OperationModel;
  call: OperationCall;
}

/**
 * The engine: one API (document, host, credentials) and everything that can be done with it.
 * No argv and no stdout: callers give typed options and inputs and get values or typed errors.
 */
export class Client {
  private readonly credentialsByOp = new Map<string, Promise<IssuedToken | undefined>>();

  constructor(
    readonly model: ApiModel,
    readonly bundled: boolean,
    readonly settings: Settings,
    readonly connection: Connection,
    readonly auth: Authenticator,
    /** One-line notices for the person (a body schema that cannot be checked). */
    private readonly notice: (line: string) => void = () => {},
  ) {}

  operation(id: string): OperationModel {
    return findOperation(this.model, id);
  }

  /** Binds and checks arguments and body; nothing is sent. */
  async prepare(
    operationId: string,
    input: CallInput,
    readBytes: ClientIO["readBytes"],
  ): Promise<PreparedCall> {
    const op = this.operation(operationId);
    const endpointArgs = [...(input.endpointArgs ?? []), ...paramsAsPairs(input.params)];
    const args = bindArgs(op, endpointArgs, input.urlSuffix ?? []);
    const body = await bodyFor(this.model, op, input.data, {
      ...(input.contentType ? { contentType: input.contentType } : {}),
      validate: input.validate !== false,
      readBytes,
      warn: this.notice,
    });
    const { connection } = this;
    if (!op.servers[0] && !connection.host && !connection.embedded)
      throw new ConfigError("the document names no server; give --host (or OPCLI_HOST)");
    const headers = input.accept ? { headers: { Accept: input.accept } } : {};
    return { op, call: { op, baseUrl: connection.baseUrl(op), args, ...(body ? { body } : {}), ...headers } };
  }

  /** The credential an operation needs, shared by every call of that operation. */
  credential = (op: OperationModel, rejected?: string): Promise<IssuedToken | undefined> => {
    if (rejected !== undefined || !this.credentialsByOp.has(op.id)) {
      this.credentialsByOp.set(op.id, this.auth.forOperation(op, rejected));
    }
    return this.credentialsByOp.get(op.id)!;
  };

  async send(prepared: PreparedCall): Promise<CallResult> {
    const { exchange } = await sendWithAuth(
      this.connection.fetch,
      this.credential,
      prepared.call,
      await this.credential(prepared.op),
    );
    return toResult(exchange);
  }

  /** Calls an operation by ID: a value for any HTTP answer; typed errors for everything else. */
  async call(operationId: string, input: CallInput, readBytes: ClientIO["readBytes"]): Promise<CallResult> {
    return this.send(await this.prepare(operationId, input, readBytes));
  }

  /** What a prepared call would change, read first where the document allows (else undefined). */
  async affected(prepared: PreparedCall, readBytes: ClientIO["readBytes"]): Promise<Affected | undefined> {
    const read = affectedRead(this.model, prepared.op, prepared.call.args);
    if (!read) return undefined;
    const result = await this.call(read.operationId, { params: read.params }, readBytes);
    const readOp = this.model.operations.find((o) => o.id === read.operationId);
    return affectedFrom(result.status, result.ok ? result.data : undefined, read.single, readOp);
  }

  /** Every page of a prepared call. */
  pages(prepared: PreparedCall, opts: PageOptions = {}): AsyncGenerator<Page> {
    return pages(
      {
        op: prepared.op,
        call: prepared.call,
        fetch: this.connection.fetch,
        credential: this.credential,
        baseUrl: this.connection.baseUrl(prepared.op),
        pagingAlternatives: pagingAlternatives(this.model, prepared.op),
      },
      opts,
    );
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** Client credentials from the settings, a secret reference, or the embedded server. */
function credentialSource(settings: Settings, io: ClientIO, conn: Connection) {
  let resolved: Promise<ClientCredentials | undefined> | undefined;
  return () => {
    resolved ??= (async () => {
      let secret = settings.clientSecret;
      if (secret === undefined && settings.clientSecretRef)
        secret = await readSecretRef(settings.clientSecretRef, io.env);
      if (settings.clientId)
        return { clientId: settings.clientId, ...(secret !== undefined ? { clientSecret: secret } : {}) };
      return conn.embedded?.credentials;
    })();
    return resolved;
  };
}

/** GET operations sharing a tag with op whose paging opcli can drive (for a hint when op cannot). */
function pagingAlternatives(model: ApiModel, op: OperationModel): string[] {
  return model.operations
    .filter((o) => o.id !== op.id && o.method === "GET" && o.tags.some((t) => op.tags.includes(t)))
    .filter(
      (o) =>
        detectStrategy(o) !== "link" && o.params.filter((p) => p.required && p.in === "path").length === 0,
    )
    .map((o) => o.id);
}

/** Loads the document, connects (or opens the embedded server) and sets up authentication. */
export async function openClient(options: ClientOptions, io: ClientIO): Promise<Client> {
  const settings = resolveSettings(options, io);
  const { model, bundled } = await loadSpec(settings.spec, io, options.overlays);
  // A mistyped operation is a usage error before any store is opened or host reached.
  if (options.operationId) findOperation(model, options.operationId);
  const connection = await connect(model, bundled, settings, options, io);
  const store = selectTokenStore(settings.tokenStore, io.env, io.notice);
  const auth = new Authenticator({
    model,
    fetch: connection.fetch,
    origin: connection.origin,
    credentials: credentialSource(settings, io, connection),
    ...(settings.accessToken ? { explicitToken: settings.accessToken } : {}),
    ...(settings.tokenUrl ? { tokenUrl: settings.tokenUrl } : {}),
    ...(settings.scopes ? { scopes: settings.scopes } : {}),
    store,
    lockDir: join(cacheRoot(io.env), "locks"),
    discoveryStore: fileDiscoveryStore(join(cacheRoot(io.env), "discovery.json"), io.now),
    now: io.now,
    tell: io.notice,
    interactive: io.interactive,
  });
  return new Client(model, bundled, settings, connection, auth, io.notice);
}

export { loadSpec };
