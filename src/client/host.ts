import { ConfigError } from "../platform/errors.js";

/**
 * Applies --host to a document server URL: a bare name means https and keeps the document's
 * path; a URL with a path replaces the whole base; a URL without one keeps the document's path.
 */
export function applyHost(serverUrl: string | undefined, host: string | undefined): string {
  const docPath = serverUrl
    ? new URL(serverUrl, "http://placeholder.invalid").pathname.replace(/\/$/, "")
    : "";
  if (host === undefined || host === "") {
    if (serverUrl && /^https?:\/\//i.test(serverUrl)) return serverUrl.replace(/\/$/, "");
    throw new ConfigError(
      serverUrl
        ? `the document's server URL "${serverUrl}" is relative; give --host (or OPCLI_HOST)`
        : "the document names no server; give --host (or OPCLI_HOST)",
    );
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`--host "${host}" is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError(`--host must be http or https, not ${url.protocol}`);
  const hostPath = url.pathname.replace(/\/$/, "");
  return `${url.origin}${hostPath !== "" ? hostPath : docPath}`;
}
