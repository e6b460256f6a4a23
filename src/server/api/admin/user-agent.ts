// A User-Agent string as a person names it: browser and OS ("Firefox 128 on Linux"); the full
// string stays in the page's title attribute.

const BROWSERS: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/OPR\/(\d+)/, "Opera"],
  [/Firefox\/(\d+)/, "Firefox"],
  [/FxiOS\/(\d+)/, "Firefox"],
  [/CriOS\/(\d+)/, "Chrome"],
  [/Chrom(?:e|ium)\/(\d+)/, "Chrome"],
  [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
  [/^curl\/(\d+)/, "curl"],
  [/^Wget\/(\d+)/, "Wget"],
  [/^node(?:-fetch)?(?:\/(\d+))?/, "Node.js"],
  [/^Device\/(\S+)/, "Device"],
];

const SYSTEMS: [RegExp, string][] = [
  [/Windows NT/, "Windows"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Linux|X11/, "Linux"],
];

export function shortAgent(ua: string | null | undefined): string {
  if (!ua) return "";
  const b = BROWSERS.find(([re]) => re.test(ua));
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  const version = b ? (b[0].exec(ua)?.[1] ?? "") : "";
  const browser = b ? `${b[1]}${version ? ` ${version}` : ""}` : ua.split(/[\s/(]/)[0]!.slice(0, 24);
  return os ? `${browser} on ${os}` : browser;
}
