import { render } from "ink";
import { createElement as h } from "react";
import type { Client } from "../client/client.js";
import { colourEnabled } from "../output/colour.js";
import { App, type TuiApi } from "./app.js";

// `opcli tui`: the Sessions screen on the client the CLI opened (same document, host, profile,
// credentials and TLS). Loaded only by `opcli tui`, so ink and React cost the CLI nothing.

export interface TuiIO {
  env: Record<string, string | undefined>;
  now(): number;
  readBytes(path: string): Uint8Array;
}

/** Runs the screen until the person quits; resolves when the terminal is restored. */
export async function runTui(client: Client, io: TuiIO): Promise<void> {
  // The CLI has checked that the document has the screen's operations (missingOperations).
  const api: TuiApi = {
    operations: client.model.operations,
    host: client.connection.embedded ? "embedded reference server" : client.connection.origin(),
    call: (operationId, params) => client.call(operationId, { params }, io.readBytes),
  };
  const app = render(h(App, { api, now: io.now, colour: colourEnabled(io.env, true) }), {
    exitOnCtrlC: true,
  });
  await app.waitUntilExit();
}
