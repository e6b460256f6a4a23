import { join, resolve } from "node:path";
import { ConfigError, UsageError } from "../platform/errors.js";
import { xdgCacheHome } from "../platform/paths.js";
import { OPCLI_VERSION } from "../platform/version.js";
import type { ApiModel } from "../spec/model.js";
// Static: the warm path of --info; the build keeps it (and this module) in the CLI's first file.
import { loadModelByStat } from "../spec/model-cache.js";
import type { ClientIO } from "./options.js";

export function modelCacheDir(env: ClientIO["env"]): string {
  return join(xdgCacheHome(env), "opcli", "models");
}

// Beside the bundle in dist/; from source (tests run in process), in dist/ at the top.
const BUNDLED = ["./bundled-model.json", "../../dist/bundled-model.json"];

/** The bundled document, compiled at build time into the model (no YAML at run time). */
function bundledModel(io: Pick<ClientIO, "readFile">): ApiModel {
  let last: unknown;
  for (const rel of BUNDLED) {
    try {
      return JSON.parse(io.readFile(new URL(rel, import.meta.url).pathname)) as ApiModel;
    } catch (err) {
      last = err;
    }
  }
  throw new ConfigError(`cannot read the bundled model (${(last as Error).message}); run npm run build`);
}

async function readSpecText(spec: string, io: ClientIO): Promise<{ text: string; location: string }> {
  if (/^https?:\/\//i.test(spec)) {
    const [{ nodeTransport }, { LiteRequest }] = await Promise.all([
      import("../http/transport.js"),
      import("../http/lite.js"),
    ]);
    const fetch = io.transport ?? nodeTransport({ timeoutMs: 30_000 });
    const res = await fetch(
      new LiteRequest(spec, { headers: { Accept: "application/json, application/yaml, */*" } }),
    );
    if (!res.ok) throw new ConfigError(`cannot fetch ${spec}: HTTP ${res.status}`);
    return { text: await res.text(), location: spec };
  }
  const location = resolve(spec);
  try {
    return { text: io.readFile(location), location };
  } catch (err) {
    throw new ConfigError(
      `cannot read spec ${spec}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

export interface LoadedModel {
  model: ApiModel;
  bundled: boolean;
}

/**
 * The operation model of a document (through the compiled-model cache), or the bundled one;
 * overlays (files) are applied to the document first, after the shipped ones that match it.
 */
export async function loadSpec(
  spec: string | undefined,
  io: ClientIO,
  overlays: readonly string[] = [],
): Promise<LoadedModel> {
  if (!spec && overlays.length)
    throw new UsageError("--overlay applies to a document given with --spec (or OPCLI_SPEC)");
  if (!spec) return { model: bundledModel(io), bundled: true };
  const opts = {
    toolVersion: OPCLI_VERSION,
    ...(overlays.length ? { overlays: [...overlays] } : {}),
    ...(io.env.OPCLI_NO_CACHE ? {} : { cacheDir: modelCacheDir(io.env) }),
    onWarning: (w: string) => io.notice(`warning: ${w}`),
  };
  if (!/^https?:\/\//i.test(spec)) {
    const warm = loadModelByStat(resolve(spec), opts);
    if (warm) return { model: warm, bundled: false };
  }
  // The loader (hashing, YAML, $ref resolution) is needed only when the cache cannot answer.
  const { loadModel } = await import("../spec/load.js");
  const { text, location } = await readSpecText(spec, io);
  const model = await loadModel(text, location, opts);
  return { model, bundled: false };
}
