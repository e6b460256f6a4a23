// Text typed into the filter and the command bar, as real terminals send it: Backspace is DEL
// (0x7f) or BS (0x08), and keys that arrive together (a held key, ssh, tmux) come as one string.

/** The key flags the text editor reads (ink's Key, narrowed). */
export interface EditKey {
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

const ERASE = new Set(["\x7f", "\b"]);

/** True for a C0/C1 control character (none of them belongs in a filter). */
export const isControl = (ch: string): boolean => {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
};

/** `value` after one input event: every DEL/BS erases one character, other controls are dropped. */
export function editText(value: string, input: string, key: EditKey = {}): string {
  if ((key.backspace || key.delete) && input === "") return [...value].slice(0, -1).join("");
  if (key.ctrl || key.meta) return value;
  let out = [...value];
  for (const ch of input) {
    if (ERASE.has(ch)) out = out.slice(0, -1);
    else if (!isControl(ch)) out.push(ch);
  }
  return out.join("");
}

/** A string with every control character removed (what may reach a search). */
export const withoutControls = (s: string): string => [...s].filter((ch) => !isControl(ch)).join("");
