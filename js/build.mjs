// Bundle the widget's front end into the Python package: one ESM file (CSS lives in styles.js
// and is injected by the widget itself), minified. `npm run build`; `node build.mjs --watch`.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const outfile = resolve(here, "..", "src", "corral", "static", "widget.js");
mkdirSync(dirname(outfile), { recursive: true });

/** @type {esbuild.BuildOptions} */
const options = {
  entryPoints: [resolve(here, "src", "index.js")],
  outfile,
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  logLevel: "warning",
};

// The queue widget's key listener: a second, small bundle (src/corral/static/queue_keys.js).
const queueKeys = { ...options, entryPoints: [resolve(here, "src", "queuekeys.js")],
                    outfile: resolve(here, "..", "src", "corral", "static", "queue_keys.js") };

if (process.argv.includes("--watch")) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`watching; writing ${outfile}`);
} else {
  const started = performance.now();
  await esbuild.build(queueKeys);
  const result = await esbuild.build({ ...options, metafile: true });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  const ms = (performance.now() - started).toFixed(0);
  console.log(`built ${outfile} (${(bytes / 1024).toFixed(0)} KiB) in ${ms} ms`);
}
