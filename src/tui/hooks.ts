import { useStdout } from "ink";
import { useCallback, useEffect, useRef, useState } from "react";

// The screen's clocks: the terminal's size, flash messages that clear, and a repeating timer.

export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribes once per stdout
  useEffect(() => {
    const on = () => setSize(read());
    stdout.on("resize", on);
    return () => {
      stdout.off("resize", on);
    };
  }, [stdout]);
  return size;
}

export type FlashKind = "info" | "error" | "loadError";

export interface Flash {
  text: string;
  kind: FlashKind;
}

/** How long a flash stays: a notice 4 s, a failed action 10 s; a failed load until a load works. */
const LIFETIME: Record<FlashKind, number | undefined> = { info: 4000, error: 10_000, loadError: undefined };

export function useFlash(): [Flash | undefined, (text: string, kind?: FlashKind) => void, () => void] {
  const [flash, setFlash] = useState<Flash | undefined>();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const show = useCallback((text: string, kind: FlashKind = "info") => {
    clearTimeout(timer.current);
    setFlash({ text, kind });
    const ms = LIFETIME[kind];
    if (ms !== undefined) timer.current = setTimeout(() => setFlash(undefined), ms);
  }, []);
  // A load that works clears a load's failure (never a newer notice).
  const loaded = useCallback(() => setFlash((f) => (f?.kind === "loadError" ? undefined : f)), []);
  useEffect(() => () => clearTimeout(timer.current), []);
  return [flash, show, loaded];
}

export function useInterval(fn: () => void, ms: number, on: boolean): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [ms, on]);
}

/**
 * State whose latest value a key handler can read before React renders again: keys that arrive
 * together ("/" then "alice", Space Space) are handled one after another with no render between.
 */
export function useSyncState<T>(
  initial: T,
): [T, (next: T | ((old: T) => T)) => void, { readonly current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = useCallback((next: T | ((old: T) => T)) => {
    ref.current = typeof next === "function" ? (next as (old: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, set, ref];
}
