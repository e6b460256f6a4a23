/** An output stream that keeps what is written, as a terminal (isTTY) or a pipe would receive it. */
export function sink(isTTY: boolean) {
  let text = "";
  const write = (s: string) => {
    text += s;
  };
  const out: { isTTY: boolean; write: (s: string) => void; columns?: number } = { isTTY, write };
  return { out, text: () => text };
}
