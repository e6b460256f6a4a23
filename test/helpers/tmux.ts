import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A real terminal for tests: a tmux session of a given size running one command, read back
// with capture-pane. Each terminal has its own TMUX_TMPDIR, so servers never collide.

export interface Terminal {
  /** The screen as text (with `-e`, keeping colour escapes). */
  screen(opts?: { colours?: boolean }): string;
  /** Presses keys by tmux's names (Enter, Tab, Escape, Up) or as characters. */
  keys(...names: string[]): void;
  /** Resizes the terminal, as a person dragging its window would. */
  resize(width: number, height: number): void;
  /** Types text literally. */
  type(text: string): void;
  /** Waits until the screen contains `text` (or the timeout passes) and returns the screen. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  /** Waits until the screen satisfies `ok` (or the timeout passes) and returns the screen. */
  waitUntil(ok: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function openTerminal(
  command: string,
  opts: { width?: number; height?: number; env?: Record<string, string> } = {},
): Terminal {
  const dir = mkdtempSync(join(tmpdir(), "opcli-tmux-"));
  const env = { ...process.env, ...(opts.env ?? {}), TMUX_TMPDIR: dir, TERM: "xterm-256color" };
  delete (env as Record<string, unknown>).TMUX;
  const tmux = (...args: string[]) => execFileSync("tmux", args, { env, encoding: "utf8" });
  // The shell stays after the command, so its screen (and "[exit N]") can still be read.
  const wrapped = `${command}; echo "[exit $?]"; sleep 120`;
  tmux(
    "new-session",
    "-d",
    "-s",
    "t",
    "-x",
    String(opts.width ?? 80),
    "-y",
    String(opts.height ?? 24),
    wrapped,
  );
  const screen = (o: { colours?: boolean } = {}) =>
    tmux("capture-pane", "-p", ...(o.colours ? ["-e"] : []), "-t", "t");
  return {
    screen,
    keys: (...names) => {
      tmux("send-keys", "-t", "t", ...names);
    },
    resize: (width, height) => {
      tmux("resize-window", "-t", "t", "-x", String(width), "-y", String(height));
    },
    type: (text) => {
      tmux("send-keys", "-t", "t", "-l", text);
    },
    waitFor(text, timeoutMs = 10_000) {
      return this.waitUntil((s) => s.includes(text), timeoutMs);
    },
    async waitUntil(ok, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (ok(s) || Date.now() > deadline) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close() {
      try {
        tmux("kill-server");
      } catch {
        // already gone
      }
    },
  };
}
