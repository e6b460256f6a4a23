declare const __OPCLI_VERSION__: string | undefined;

/** Injected by the build (esbuild define); "dev" when running from source in tests. */
export const OPCLI_VERSION: string = typeof __OPCLI_VERSION__ === "string" ? __OPCLI_VERSION__ : "dev";
