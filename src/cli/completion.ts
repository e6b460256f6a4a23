import type { ApiModel } from "../spec/model.js";
import { FLAGS } from "./flags.js";
import { squashTag } from "./info.js";

// Shell completion: `opcli completion bash|zsh|fish` prints a script whose function asks
// `opcli __complete SHELL LINE [WORDBREAKS]` for the candidates of the word being typed.

const COMMANDS = ["auth", "config", "completion"];
const SUBCOMMANDS: Record<string, string[]> = {
  auth: ["login", "logout", "status", "token"],
  config: ["path", "list", "get", "set"],
  completion: ["bash", "zsh", "fish"],
};
const VALUES: Record<string, string[]> = {
  "--output": ["json", "table"],
  "-o": ["json", "table"],
  "--token-format": ["raw", "header", "env", "json"],
};

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

/** Candidates for the last word of `words` (the word being typed, possibly ""). */
export function complete(model: ApiModel | undefined, words: string[]): string[] {
  const cur = words.at(-1) ?? "";
  const prev = words.at(-2);
  const done = words.slice(0, -1);
  let cands: string[] = [];
  if (prev && VALUES[prev]) cands = VALUES[prev];
  else if (prev === "--operation-id") cands = model?.operations.map((o) => o.id) ?? [];
  else if (prev === "--info") cands = model?.tags.map((t) => squashTag(t.name)) ?? [];
  else if (prev === "--schema") cands = Object.keys(model?.schemas ?? {});
  else if (prev === "--endpoint-args" || prev === "--url-suffix") {
    return model
      ? paramItems(model, done, cur, prev === "--url-suffix").filter((c) => c.startsWith(cur))
      : [];
  } else if (cur.startsWith("-")) cands = FLAGS.map((f) => `--${f.name}`);
  else if (done.length === 0) cands = COMMANDS;
  else if (done.length === 1 && SUBCOMMANDS[done[0]!]) cands = SUBCOMMANDS[done[0]!]!;
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
