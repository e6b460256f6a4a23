import { render } from "ink";
import { createElement as h } from "react";
import type { Client } from "../client/client.js";
import { colourEnabled } from "../output/colour.js";
import { App, type TuiApi } from "./app.js";

// `opcli tui`: the screens on the client the CLI opened (same document, host, profile,
// credentials and TLS). Loaded only by `opcli tui`, so ink and React cost the CLI nothing.

export interface TuiIO {
  env: Record<string, string | undefined>;
  now(): number;
  readBytes(path: string): Uint8Array;
}

export interface TuiOptions {
  /** Hide and refuse the keys that change the server. */
  readonly: boolean;
}

/** The alternate screen (as k9s and less): what the terminal showed comes back on quit. */
const ENTER_ALT = "\x1b[?1049h\x1b[H";
const LEAVE_ALT = "\x1b[?1049l";

/** Runs the screen until the person quits; resolves when the terminal is restored. */
export async function runTui(
  client: Client,
  io: TuiIO,
  opts: TuiOptions = { readonly: false },
): Promise<void> {
  // The CLI has checked that the document has a sessions screen (whyNoScreen).
  const api: TuiApi = {
    operations: client.model.operations,
    host: client.connection.embedded ? "embedded reference server" : client.connection.origin(),
    call: (operationId, params) => client.call(operationId, { params }, io.readBytes),
  };
  const stdout = process.stdout;
  stdout.write(ENTER_ALT);
  // Even on a crash or a signal the terminal leaves the alternate screen.
  const leave = () => stdout.write(LEAVE_ALT);
  process.once("exit", leave);
  try {
    const app = render(
      h(App, { api, now: io.now, colour: colourEnabled(io.env, true), readonly: opts.readonly }),
      { exitOnCtrlC: true, stdout },
    );
    await app.waitUntilExit();
  } finally {
    process.off("exit", leave);
    leave();
  }
}
