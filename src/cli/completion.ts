import { squashTag } from "../client/lookup.js";
import type { ApiModel } from "../spec/model.js";
import { COMMAND_ARGS, FLAGS, subcommandsOf, TOP_COMMANDS } from "./table.js";

// Shell completion from the command table: `opcli completion bash|zsh|fish` prints a script whose
// function asks `opcli __complete SHELL LINE [WORDBREAKS]` for the candidates of the word typed.

function lastUnescapedComma(s: string): number {
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === ",") last = i;
  }
  return last;
}

/** name: candidates for the item after the last unescaped comma of --endpoint-args / --url-suffix. */
function paramItems(model: ApiModel, words: string[], cur: string, path: boolean): string[] {
  const i = words.indexOf("--operation-id");
  const op = i >= 0 ? model.operations.find((o) => o.id === words[i + 1]) : undefined;
  if (!op) return [];
  const cut = lastUnescapedComma(cur) + 1;
  const head = cur.slice(0, cut);
  const given = new Set(head.split(",").map((t) => t.split(":")[0]));
  return op.params
    .filter((p) => (path ? p.in === "path" : true) && !given.has(p.name))
    .map((p) => `${head}${p.name}:`);
}

/** The values a flag takes, for flags that list them. */
function flagValues(word: string | undefined): readonly string[] | undefined {
  if (!word?.startsWith("-")) return undefined;
  const name = word.replace(/^--?/, "");
  return FLAGS.find((f) => f.name === name || f.alias === name)?.values;
}

/** Positional candidates: a command, its subcommand, or its argument. */
function positional(done: string[]): readonly string[] {
  const words = done.filter((w) => !w.startsWith("-"));
  if (words.length === 0) return TOP_COMMANDS;
  if (words.length === 1) {
    const subs = subcommandsOf(words[0]!);
    return subs.length ? subs : (COMMAND_ARGS[words[0]!] ?? []);
  }
  return [];
}

/** Candidates for the last word of `words` (the word being typed, possibly ""). */
export function complete(model: ApiModel | undefined, words: string[]): string[] {
  const cur = words.at(-1) ?? "";
  const prev = words.at(-2);
  const done = words.slice(0, -1);
  let cands: readonly string[] = [];
  const values = flagValues(prev);
  if (values) cands = values;
  else if (prev === "--operation-id") cands = model?.operations.map((o) => o.id) ?? [];
  else if (prev === "--info") cands = model?.tags.map((t) => squashTag(t.name)) ?? [];
  else if (prev === "--schema") cands = Object.keys(model?.schemas ?? {});
  else if (prev === "--endpoint-args" || prev === "--url-suffix") {
    return model
      ? paramItems(model, done, cur, prev === "--url-suffix").filter((c) => c.startsWith(cur))
      : [];
  } else if (cur.startsWith("-")) cands = FLAGS.map((f) => `--${f.name}`);
  else cands = positional(done);
  return cands.filter((c) => c.startsWith(cur));
}

/** Splits a command line into words (whitespace only; quotes are not interpreted). */
export function lineWords(line: string): string[] {
  const words = line.split(/\s+/);
  if (words[0] === "" && words.length > 1) words.shift();
  return words.slice(1);
}

/** Bash replaces only the part of the word after its last word-break character. */
export function trimForBash(cands: string[], cur: string, wordbreaks: string): string[] {
  let cut = 0;
  for (let i = 0; i < cur.length; i++) if (wordbreaks.includes(cur[i]!)) cut = i + 1;
  return cands.map((c) => c.slice(cut));
}

export const SCRIPTS: Record<string, string> = {
  bash: `# opcli completion for bash: eval "$(opcli completion bash)"
_opcli_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(opcli __complete bash "\${COMP_LINE:0:$COMP_POINT}" "$COMP_WORDBREAKS" 2>/dev/null))
  if [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *[:,] ]]; then compopt -o nospace 2>/dev/null; fi
}
complete -F _opcli_complete opcli
`,
  zsh: `#compdef opcli
# opcli completion for zsh: eval "$(opcli completion zsh)"
_opcli() {
  local -a cands
  cands=("\${(@f)$(opcli __complete zsh "\${(j: :)words[1,CURRENT]}" 2>/dev/null)}")
  [[ -z "\${cands[1]}" ]] && return 1
  if [[ \${#cands} -eq 1 && "\${cands[1]}" == *[:,] ]]; then compadd -Q -S '' -a cands; else compadd -Q -a cands; fi
}
compdef _opcli opcli
`,
  fish: `# opcli completion for fish: opcli completion fish | source
complete -c opcli -f -a '(opcli __complete fish (commandline -cp))'
`,
};
