/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  AM: () => (/* reexport */ main),
  tU: () => (/* reexport */ post),
  c9: () => (/* reexport */ main_main),
  xr: () => (/* reexport */ post_post),
  ak: () => (/* reexport */ runCli)
});

;// CONCATENATED MODULE: ./packages/core/src/errors.ts
class RelayError extends Error {
    kind;
    constructor(kind, message, options) {
        super(message, options);
        this.kind = kind;
        this.name = "RelayError";
    }
}
const configError = (message) => new RelayError("config", message);
const inputError = (message) => new RelayError("input", message);
function isRelayError(err, kind) {
    return err instanceof RelayError && (kind === undefined || err.kind === kind);
}
/** The message of anything thrown, for logs and results. */
function messageOf(err) {
    return err instanceof Error ? err.message : String(err);
}

;// CONCATENATED MODULE: ./packages/core/src/index.ts
// The core library: everything that is not GitHub-specific. No @actions/* imports here.




;// CONCATENATED MODULE: ./packages/cli/src/args.ts
// A small flag parser in Atlas's spelling: `--flag value`, `--flag=value`, repeatable flags, booleans.

function parseArgs(argv, specs) {
    const byName = new Map(specs.map((s) => [s.name, s]));
    const flags = {};
    const positionals = [];
    for (const spec of specs) {
        if (spec.type === "list")
            flags[spec.name] = [];
        else if (spec.default !== undefined)
            flags[spec.name] = spec.type === "bool" ? spec.default === "true" : spec.default;
    }
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        if (!arg.startsWith("-") || arg === "-") {
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf("=");
        const name = arg.slice(arg.startsWith("--") ? 2 : 1, eq === -1 ? undefined : eq);
        const spec = byName.get(name);
        if (!spec)
            throw inputError(`unknown flag --${name}`);
        let value = eq === -1 ? undefined : arg.slice(eq + 1);
        if (spec.type === "bool") {
            if (value !== undefined && value !== "true" && value !== "false") {
                throw inputError(`--${name} takes true or false, got "${value}"`);
            }
            flags[name] = value !== "false";
            continue;
        }
        if (value === undefined) {
            value = argv[++i];
            if (value === undefined)
                throw inputError(`--${name} needs a value`);
        }
        if (spec.type === "list")
            flags[name].push(value);
        else
            flags[name] = value;
    }
    return { flags, positionals };
}
const str = (flags, name) => flags[name];
const bool = (flags, name) => flags[name] === true;
const list = (flags, name) => flags[name] ?? [];

;// CONCATENATED MODULE: ./packages/cli/src/commands/hash.ts
// Placeholder until the dir module lands (issue 2).
const hashCommand = {
    name: "hash",
    summary: "Write atlas.sum for a migration directory, or check it with --check.",
    usage: "migrate-relay hash [--dir file://migrations] [--check]",
    example: "migrate-relay hash --dir file://migrations",
    flags: [
        { name: "dir", type: "string", description: "the migration directory URL", default: "file://migrations" },
        { name: "check", type: "bool", description: "validate atlas.sum instead of writing it" },
    ],
    async run(_args, io) {
        io.err("hash is not built yet");
        return 1;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/index.ts
// The `migrate-relay` command: every CI system's front end to the core library.



// Each command lives in its own module under commands/; list it here to make it reachable.
const COMMANDS = [hashCommand];
const processIo = () => ({
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
});
function helpOf(cmd) {
    const flags = cmd.flags.map((f) => {
        const value = f.type === "bool" ? "" : " <value>";
        const extra = f.type === "list" ? " (repeatable)" : f.default !== undefined ? ` (default ${f.default})` : "";
        return `  --${f.name}${value}\n      ${f.description}${extra}`;
    });
    return [
        `${cmd.summary}`,
        "",
        `Usage:\n  ${cmd.usage}`,
        "",
        "Flags:",
        ...flags,
        "",
        `Example:\n  ${cmd.example}`,
    ].join("\n");
}
function mainHelp() {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    return [
        "migrate-relay: publish versioned migrations everywhere at once; apply them from the first place that answers.",
        "",
        "Usage:\n  migrate-relay <command> [flags]",
        "",
        "Commands:",
        ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
        "",
        "Run `migrate-relay <command> --help` for a command's flags and an example.",
    ].join("\n");
}
/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or config). */
async function runCli(argv, io = processIo()) {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
        (name === undefined ? io.err : io.out)(mainHelp());
        return name === undefined ? 2 : 0;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) {
        io.err(`migrate-relay: unknown command "${name}"\n\n${mainHelp()}`);
        return 2;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        io.out(helpOf(cmd));
        return 0;
    }
    try {
        return await cmd.run(parseArgs(rest, cmd.flags), io);
    }
    catch (err) {
        io.err(`migrate-relay ${cmd.name}: ${messageOf(err)}`);
        return isRelayError(err, "config") || isRelayError(err, "input") ? 2 : 1;
    }
}

;// CONCATENATED MODULE: ./actions/apply/main.ts
async function main() { }

;// CONCATENATED MODULE: ./actions/apply/post.ts
async function post() { }

;// CONCATENATED MODULE: ./actions/push/main.ts
async function main_main() { }

;// CONCATENATED MODULE: ./actions/push/post.ts
async function post_post() { }

;// CONCATENATED MODULE: ./scripts/bundle-entry.ts
// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call.






var __webpack_exports__applyMain = __webpack_exports__.AM;
var __webpack_exports__applyPost = __webpack_exports__.tU;
var __webpack_exports__pushMain = __webpack_exports__.c9;
var __webpack_exports__pushPost = __webpack_exports__.xr;
var __webpack_exports__runCli = __webpack_exports__.ak;
export { __webpack_exports__applyMain as applyMain, __webpack_exports__applyPost as applyPost, __webpack_exports__pushMain as pushMain, __webpack_exports__pushPost as pushPost, __webpack_exports__runCli as runCli };
