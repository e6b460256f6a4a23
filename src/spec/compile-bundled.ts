// Build step: compiles spec/opcli.yaml into the model the CLI loads at run time (no YAML then).
import { readFileSync, writeFileSync } from "node:fs";
import { loadModel } from "./load.js";

const [input, output] = process.argv.slice(2) as [string, string];
const model = await loadModel(readFileSync(input, "utf8"), input, { toolVersion: "bundled" });
writeFileSync(output, JSON.stringify({ ...model, source: "bundled:spec/opcli.yaml" }));
