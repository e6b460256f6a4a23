/** Where output goes (stdout or stderr), injected so tests can set TTY or not. */
export interface OutStream {
  write(s: string): void;
  isTTY: boolean;
  /** Resolves once buffered output has drained (backpressure for long streams). */
  drained?(): Promise<void>;
}
