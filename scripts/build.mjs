// npm run build: one ncc bundle (dist/index.js) that serves both actions and the CLI, thin entry
// files the runner executes (dist/<action>/main.js, post.js), and each action's generated action.yml.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ncc from "@vercel/ncc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

const { code, assets } = await ncc(join(root, "scripts/bundle-entry.ts"), {
  minify: false,
  sourceMap: false,
  quiet: true,
  target: "es2022",
  // `npm run typecheck` checks types; the bundle only needs them stripped.
  transpileOnly: true,
});
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await writeFile(join(dist, "index.js"), code);
for (const [name, asset] of Object.entries(assets)) {
  await mkdir(dirname(join(dist, name)), { recursive: true });
  await writeFile(join(dist, name), asset.source);
}
await writeFile(join(dist, "package.json"), '{\n  "type": "module"\n}\n');
await writeFile(
  join(dist, "cli.js"),
  '#!/usr/bin/env node\nimport { runCli } from "./index.js";\n\nprocess.exitCode = await runCli(process.argv.slice(2));\n',
);

for (const action of ["push", "apply"]) {
  await mkdir(join(dist, action), { recursive: true });
  for (const [file, fn] of [
    ["main", "Main"],
    ["post", "Post"],
  ]) {
    const exported = `${action}${fn}`;
    await writeFile(
      join(dist, action, `${file}.js`),
      `import { ${exported} } from "../index.js";\n\nawait ${exported}();\n`,
    );
  }
  // GitHub loads an action only from its folder's action.yml; the top-level file is the source.
  const source = await readFile(join(root, `action-${action}.yml`), "utf8");
  const generated = `# Generated from action-${action}.yml by \`npm run build\`; edit that file, not this one.\n${source.replaceAll("dist/", "../../dist/")}`;
  await writeFile(join(root, "actions", action, "action.yml"), generated);
}
console.log(
  `built dist/index.js (${(code.length / 1024 / 1024).toFixed(1)} MiB) and ${Object.keys(assets).length} assets`,
);
