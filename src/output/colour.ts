// The one decision whether opcli colours its output (JSON, tables): NO_COLOR (no-color.org) wins,
// then CLICOLOR_FORCE / FORCE_COLOR force it (FORCE_COLOR=0 and CLICOLOR_FORCE=0 do not), then
// CLICOLOR=0 and TERM=dumb turn it off, and otherwise colour goes to a terminal only.

export function colourEnabled(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const forced = [env.CLICOLOR_FORCE, env.FORCE_COLOR].find((v) => v !== undefined && v !== "");
  if (forced !== undefined) return forced !== "0" && forced.toLowerCase() !== "false";
  if (env.CLICOLOR === "0") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}
