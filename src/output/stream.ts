/** Where output goes (stdout or stderr), injected so tests can set TTY or not. */
export interface OutStream {
  write(s: string): void;
  isTTY: boolean;
  /** The terminal's width in columns, when it is one. */
  columns?: number;
  /** Resolves once buffered output has drained (backpressure for long streams). */
  drained?(): Promise<void>;
}
