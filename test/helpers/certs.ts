import { execFileSync } from "node:child_process";
import { join } from "node:path";

export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, made now. */
export function makeCerts(dir: string): TestCerts {
  const p = (f: string) => join(dir, f);
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=opcli test CA",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
    ],
    dir,
  );
  for (const [name, cn, ext] of [
    ["server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"],
    ["client", "opcli-test-client", "extendedKeyUsage=clientAuth"],
  ] as const) {
    openssl(
      [
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-subj",
        `/CN=${cn}`,
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.csr`,
      ],
      dir,
    );
    execFileSync("sh", ["-c", `printf '${ext}\\n' > ${name}.ext`], { cwd: dir });
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.pem`,
      ],
      dir,
    );
  }
  return {
    ca: p("ca.pem"),
    serverCert: p("server.pem"),
    serverKey: p("server.key"),
    clientCert: p("client.pem"),
    clientKey: p("client.key"),
  };
}
