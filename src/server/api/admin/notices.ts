// The notice after an action, naming who and how many (the redirect carries notice, who, n).

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

export function noticeText(q: (k: string) => string | undefined): string | undefined {
  const who = (q("who") ?? "").slice(0, 256) || "the user";
  const raw = Number(q("n"));
  const n = Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  switch (q("notice")) {
    case "terminated":
      return `Terminated ${count(n ?? 1, "session")} of ${who}.`;
    case "logout-all":
      return `Logged ${who} out of every device: ${n === undefined ? "their sessions" : count(n, "session")} terminated.`;
    case "disable":
      return `Disabled ${who}; their sessions ended.`;
    case "enable":
      return `Enabled ${who}.`;
    case "lock":
      return `Locked ${who}.`;
    case "unlock":
      return `Unlocked ${who}.`;
    case "acknowledged":
      return `Acknowledged the IP-spread alarm for ${who}.`;
    default:
      return undefined;
  }
}
