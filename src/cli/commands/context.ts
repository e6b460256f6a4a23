import type { ArgPair } from "../../client/arg-pairs.js";
import { parseArgPairs } from "../../client/arg-pairs.js";
import type { CallInput } from "../../client/call.js";
import { type Client, openClient } from "../../client/client.js";
import { readDataArg } from "../../client/request-body.js";
import { type CliIO, clientIO, noInputWanted } from "../io.js";
import { clientOptions } from "../options.js";
import type { ParsedArgs } from "../parse.js";
import { readSecretValue } from "../secret-input.js";

/** Opens the client the flags describe, runs fn, and always closes it. */
export async function withClient<T>(
  args: ParsedArgs,
  io: CliIO,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const noInput = noInputWanted(args.bool("no-input"), io.env);
  const opts = clientOptions(args);
  if (opts.clientSecret !== undefined)
    opts.clientSecret = await readSecretValue("--client-secret", opts.clientSecret, io);
  if (opts.accessToken !== undefined && opts.accessToken !== "" && !opts.accessToken.startsWith("@"))
    opts.accessToken = await readSecretValue("--access-token", opts.accessToken, io);
  const client = await openClient(opts, clientIO(io, noInput));
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

const pairsOf = (raw: string | undefined, flag: string): ArgPair[] => parseArgPairs(raw ?? "", flag);

/** The call the flags describe: config-cli pairs, the body, its media type and validation. */
export async function callInput(args: ParsedArgs, io: CliIO): Promise<CallInput> {
  const data = args.str("data");
  const contentType = args.str("content-type");
  const accept = args.str("accept");
  return {
    endpointArgs: pairsOf(args.str("endpoint-args"), "--endpoint-args"),
    urlSuffix: pairsOf(args.str("url-suffix"), "--url-suffix"),
    ...(data !== undefined ? { data: await readDataArg(data, io) } : {}),
    ...(contentType ? { contentType } : {}),
    ...(accept ? { accept } : {}),
    validate: !args.bool("no-validate"),
  };
}
