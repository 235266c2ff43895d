// npm run build: one ncc bundle that serves both actions and the CLI (dist/index.js, a router that
// loads each front end's chunk on demand, and the chunks in dist/chunks/ under stable names), thin
// entry files the runner executes (dist/<action>/main.js, post.js), and each action's generated action.yml.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ncc from "@vercel/ncc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

const { code, assets, stats } = await ncc(join(root, "scripts/bundle-entry.ts"), {
  minify: false,
  sourceMap: false,
  quiet: true,
  target: "es2022",
  // `npm run typecheck` checks types; the bundle only needs them stripped.
  transpileOnly: true,
});
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const names = chunkNames(stats.compilation);
await writeFile(join(dist, "index.js"), renameChunks(code, names));
for (const [name, asset] of Object.entries(assets)) {
  const chunk = /^(\d+)\.index\.js$/.exec(name);
  const file = chunk ? `chunks/${names.get(Number(chunk[1]))}.js` : name;
  if (chunk && !names.has(Number(chunk[1]))) throw new Error(`build: chunk ${name} has no name`);
  await mkdir(dirname(join(dist, file)), { recursive: true });
  await writeFile(join(dist, file), asset.source);
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
  `built dist/index.js (${(code.length / 1024).toFixed(0)} KiB), ${names.size} chunks in dist/chunks/ and ${Object.keys(assets).length - names.size} other assets`,
);

/**
 * A file name for each async chunk, so dist/ says what it holds and a rebuild after an unrelated change
 * does not rename every file: ncc (webpack's chunkIds "deterministic") names them `<number>.index.js`.
 * A chunk made for an import() is named after it: its webpackChunkName, else the imported module
 * ("./gcs" -> gcs, "@aws-sdk/client-s3" -> aws-sdk-client-s3). A chunk webpack split off for modules
 * several imports share is named after its largest package, prefixed "shared-". Names are unique
 * (a clash gets -2, -3 in the order of the chunks' module lists).
 */
function chunkNames(compilation) {
  const { chunkGraph } = compilation;
  const slug = (text) =>
    text
      .replace(/^(\.{1,2}\/)+/, "")
      .replace(/\.[cm]?[jt]s$/, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const largestPackage = (chunk) => {
    const sizes = new Map();
    for (const module of chunkGraph.getChunkModulesIterable(chunk)) {
      for (const inner of module.modules ?? [module]) {
        const path = inner.resource ?? inner.identifier();
        const owner =
          /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
          /\/packages\/([^/]+)\//.exec(path)?.[1] ??
          /\/(actions|scripts)\//.exec(path)?.[1] ??
          "misc";
        sizes.set(owner, (sizes.get(owner) ?? 0) + inner.size());
      }
    }
    return [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "empty";
  };
  const wanted = [];
  for (const chunk of compilation.chunks) {
    if (chunk.canBeInitial()) continue;
    // The chunk an import() created is the last of its group: split-off chunks go before it.
    const own = [...chunk.groupsIterable].filter((g) => g.chunks.at(-1) === chunk);
    const origin = own
      .flatMap((g) => (g.name ? [g.name] : g.origins.map((o) => o.request)))
      .filter(Boolean)
      .sort()[0];
    const name = chunk.name ?? (origin ? slug(origin) : `shared-${slug(largestPackage(chunk))}`);
    const modules = [...chunkGraph.getChunkModulesIterable(chunk)].map((m) => m.identifier()).sort();
    wanted.push({ id: chunk.id, name: name || "chunk", order: modules.join("\n") });
  }
  wanted.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.order < b.order ? -1 : 1));
  const names = new Map();
  const taken = new Set();
  for (const { id, name } of wanted) {
    let file = name;
    for (let n = 2; taken.has(file); n++) file = `${name}-${n}`;
    taken.add(file);
    names.set(id, file);
  }
  return names;
}

/** Points webpack's chunk loader (`__nccwpck_require__.u`) at the named files. */
function renameChunks(code, names) {
  const template = 'return "" + chunkId + ".index.js";';
  if (code.split(template).length !== 2)
    throw new Error("build: the chunk loader's file name template moved");
  const table = [...names].sort((a, b) => a[0] - b[0]).map(([id, name]) => `${id}: ${JSON.stringify(name)}`);
  return code.replace(template, `return "chunks/" + ({ ${table.join(", ")} })[chunkId] + ".js";`);
}
