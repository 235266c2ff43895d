export const id = 27;
export const ids = [27];
export const modules = {

/***/ 18056:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCli: () => (/* binding */ runCli)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 61 modules
var src = __webpack_require__(11053);
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
            throw (0,src/* inputError */.Xum)(`unknown flag --${name}`);
        let value = eq === -1 ? undefined : arg.slice(eq + 1);
        if (spec.type === "bool") {
            if (value !== undefined && value !== "true" && value !== "false") {
                throw (0,src/* inputError */.Xum)(`--${name} takes true or false, got "${value}"`);
            }
            flags[name] = value !== "false";
            continue;
        }
        if (value === undefined) {
            value = argv[++i];
            if (value === undefined)
                throw (0,src/* inputError */.Xum)(`--${name} needs a value`);
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

;// CONCATENATED MODULE: ./packages/cli/src/atlas-flags.ts
// Flags Atlas's commands take (and atlas-action passes) that have no work to do here: accepted with a
// note on stderr, never an error, so scripts written for `atlas migrate ...` run unchanged.


const FORMAT_FLAG = {
    name: "format",
    type: "string",
    description: "Go template for the result, as Atlas: '{{ json . }}', '{{ .URL }}', ... (json alone = indented JSON)",
};
const ATLAS_COMPAT_FLAGS = [
    {
        name: "dir-format",
        type: "string",
        description: "the directory format; only atlas is read here (Atlas's default)",
    },
    {
        name: "context",
        type: "string",
        description: "a RunContext JSON (as atlas-action passes it); accepted, not used",
    },
];
/**
 * Checks the compatibility flags and prints one note per flag given that does nothing here.
 * `unused` names further flags of this command that are accepted only for Atlas's sake.
 */
function noteAtlasFlags(flags, io, unused = {}) {
    const format = str(flags, "dir-format");
    if (format !== undefined && format !== "atlas") {
        throw (0,src/* inputError */.Xum)(`--dir-format "${format}": only Atlas's own format (atlas) is read; convert the directory with \`atlas migrate import\` first`);
    }
    const context = str(flags, "context");
    if (context !== undefined) {
        try {
            JSON.parse(context);
        }
        catch {
            throw (0,src/* inputError */.Xum)("--context must be a JSON object (a RunContext as atlas-action passes it)");
        }
        io.err("note: --context is accepted for Atlas compatibility; runs are not reported to Atlas Cloud here");
    }
    for (const [name, why] of Object.entries(unused)) {
        if (str(flags, name) !== undefined)
            io.err(`note: --${name} is accepted for Atlas compatibility and ignored: ${why}`);
    }
}
/** `--format`: undefined for the default text, else the parsed template (refused early when unsupported). */
const formatOf = (flags) => (0,src/* parseFormat */.Xc$)(str(flags, "format"));
/** Prints a template's output on stdout (io.out adds the line end Go's template leaves to the caller). */
function printFormatted(io, template, data) {
    const text = template.execute(data);
    io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
}
const printText = (io, text) => {
    if (text)
        io.out(text.endsWith("\n") ? text.slice(0, -1) : text);
};
/** One apply run on stdout: Atlas's text, or the template over Atlas's JSON shape (one per run, as Atlas). */
function printApplyRun(io, template, run) {
    if (template)
        printFormatted(io, template, (0,src/* atlasApplyJson */.WrS)(run));
    else
        printText(io, (0,src/* atlasApplyText */.VHr)(run));
}
/** One status on stdout (the error, if any, on stderr), as Atlas prints it. */
function printStatus(io, template, status, dir) {
    if (template)
        printFormatted(io, template, (0,src/* atlasStatusJson */.A5x)(status, dir));
    else
        printText(io, (0,src/* atlasStatusText */.rDW)(status));
    if (status.error)
        io.err(`Error: ${status.error.message}`);
}

;// CONCATENATED MODULE: ./packages/cli/src/duration.ts
// Flags that take a duration or a count, as Atlas spells them; defaults come from core's settings.


/** Go-style durations as Atlas takes them ("10s", "1m30s", "500ms"); a bare number is seconds. */
const parseDuration = (text, flag) => (0,src/* parseDuration */.E9z)(text, `--${flag}`);
/** A default as a flag's help shows it: 60000 -> "60s", 604800000 -> "168h". */
const durationText = (ms) => ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
/** A duration flag in ms, more than 0; undefined when not given. */
function durationFlag(flags, name) {
    const text = str(flags, name);
    if (text === undefined)
        return undefined;
    const ms = parseDuration(text, name);
    if (!(ms > 0))
        throw (0,src/* inputError */.Xum)(`--${name} must be more than 0`);
    return ms;
}
/** `--retries`: a whole number >= 0. */
function retriesFlag(flags, fallback) {
    const retries = Number(str(flags, "retries") ?? String(fallback));
    if (!Number.isInteger(retries) || retries < 0)
        throw (0,src/* inputError */.Xum)("--retries must be a whole number >= 0");
    return retries;
}
/** The `--timeout` flag, its default shown as a duration. */
const timeoutFlagSpec = (description, ms) => ({
    name: "timeout",
    type: "string",
    description,
    default: durationText(ms),
});
/** The `--retries` flag. */
const retriesFlagSpec = (description, fallback) => ({
    name: "retries",
    type: "string",
    description,
    default: String(fallback),
});

;// CONCATENATED MODULE: ./packages/cli/src/signals.ts
async function whileStoppable(io, what, fn) {
    const stop = new AbortController();
    const unlisten = () => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    };
    function onSignal(signal) {
        unlisten();
        io.err(`migrate-relay: ${signal}: ${what} (again to quit at once)`);
        stop.abort(signal);
    }
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        return await fn(stop.signal);
    }
    finally {
        unlisten();
    }
}

;// CONCATENATED MODULE: ./packages/cli/src/config-flags.ts
// The `--config --env --var` flags every command that reads atlas.hcl shares, and loading them.


const CONFIG_FLAGS = [
    {
        name: "config",
        type: "string",
        description: "the project file (Atlas's atlas.hcl)",
        default: src/* DEFAULT_CONFIG */.PVc,
    },
    { name: "env", type: "string", description: "the env block of the project file to use" },
    {
        name: "var",
        type: "list",
        description: "a value for an input variable, key=value (repeat a key to pass a list)",
    },
];
/** Whether the command line selects an env (commands that also work without a config check this first). */
const hasEnvFlag = (flags) => (str(flags, "env") ?? "") !== "";
/**
 * Loads the env selected by --env from --config with --var values; getenv() reads io.env and relative
 * paths resolve against io.cwd. One result per for_each instance. Throws a usage error without --env.
 */
async function loadEnvsFromFlags(flags, io) {
    const env = str(flags, "env");
    if (!env)
        throw (0,src/* inputError */.Xum)("--env is required: name the env block of the project file to use, e.g. --env prod");
    const envs = await (0,src/* loadEnv */.yaP)({
        config: str(flags, "config") ?? src/* DEFAULT_CONFIG */.PVc,
        env,
        vars: (0,src/* parseVarFlags */.YFd)(list(flags, "var")),
        cwd: io.cwd,
        getenv: (name) => io.env[name],
    });
    for (const resolved of envs)
        io.secrets?.addEnv(resolved);
    return envs;
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/repo-flags.ts
// The repository flags push, pull, verify, sync, apply and status share: where the repository lives
// (flags over atlas.hcl), its connect timeout and the license grant.





const REPO_FLAGS = [
    ...CONFIG_FLAGS,
    { name: "dir-name", type: "string", description: "the repository name (slug) in the registry and backups" },
    { name: "backup", type: "list", description: "a backup URL, s3://bucket/prefix?region=R or file://path" },
    {
        name: "repo-url",
        type: "string",
        description: "an s3://, gs://, azureblob://, oci:// or file:// primary instead of the registry",
    },
    {
        name: "cloud-url",
        type: "string",
        description: "the registry's GraphQL endpoint [default https://api.atlasgo.cloud/query]",
    },
    { name: "cloud-token", type: "string", description: "the registry token [default $ATLAS_TOKEN]" },
    {
        name: "grant-dir",
        type: "string",
        description: "where license grants live [default $MIGRATE_RELAY_HOME/grants or ~/.migrate-relay/grants]",
    },
    {
        name: "grant-ttl",
        type: "string",
        description: "how long a grant lets work go on without the registry",
        default: durationText(src/* DEFAULT_GRANT_TTL_MS */.jhN),
    },
    {
        name: "connect-timeout",
        type: "string",
        description: "per-replica connect timeout",
        default: durationText(src/* DEFAULT_CONNECT_TIMEOUT_MS */.od_),
    },
    FORMAT_FLAG,
];
/** The env selected by --env (first for_each instance), or none when no --env is given. */
async function envFromFlags(flags, io) {
    if (!hasEnvFlag(flags))
        return undefined;
    const [env] = await loadEnvsFromFlags(flags, io);
    return env;
}
/** The registry repository --dir (or the env's migration.dir) names, when it is an atlas:// URL. */
const registryDirOf = (flags, env) => {
    const dir = (0,src/* setting */.PeC)(str(flags, "dir"), env?.migration.dir);
    return dir && (0,src/* isRegistryUrl */.bs2)(dir) ? dir : undefined;
};
/** Where the repository lives: explicit flags first, then atlas.hcl, then $ATLAS_TOKEN. */
function repoFromFlags(flags, io, env, dir) {
    return (0,src/* openRepo */.B8X)((0,src/* layerRepoConfig */.GA0)(env, {
        ...(dir ? { dir } : {}),
        name: str(flags, "dir-name"),
        backups: list(flags, "backup"),
        url: str(flags, "repo-url"),
        cloudUrl: str(flags, "cloud-url"),
        cloudToken: str(flags, "cloud-token"),
        fallbackToken: io.env.ATLAS_TOKEN,
        cwd: io.cwd,
        connectTimeoutMs: durationFlag(flags, "connect-timeout") ?? src/* DEFAULT_CONNECT_TIMEOUT_MS */.od_,
    }));
}
function grantsFromFlags(flags, io) {
    const ttlMs = durationFlag(flags, "grant-ttl");
    return new src/* GrantStore */.A0N({
        dir: str(flags, "grant-dir") ?? (0,src/* defaultGrantDir */.f2J)(io.env),
        ...(ttlMs ? { ttlMs } : {}),
    });
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/read-dir.ts
// Where apply and status read a directory: file:// from disk, atlas:// through the relay (registry
// first, then the backups, verified), with the repository flags push and pull use. Progress lines go
// to stderr: stdout carries the command's result only.


/** The repository flags (registry, backups, grant), minus those TARGET_FLAGS already has. */
const RELAY_FLAGS = REPO_FLAGS.filter((f) => !["config", "env", "var", "format"].includes(f.name));
/**
 * Reads the directory a target names: `file://` from disk; `atlas://` through the relay (the registry
 * first, then the env's backups, verified), once per distinct repository even for many targets.
 * A PullError (a RelayError carrying the trail) reaches the command, which reports it per target.
 */
function dirLoader(flags, io, options) {
    const load = (0,src/* dirLoader */.Tah)({
        cwd: io.cwd,
        repoOf: (dir, env) => repoFromFlags(flags, io, env, dir),
        pull: {
            grants: grantsFromFlags(flags, io),
            ...(options.log ? { onAttempt: (a) => io.err((0,src/* attemptLogLine */.EUT)(a)) } : {}),
        },
        ...(options.log
            ? {
                onRead: (dir, repo) => io.err((0,src/* readingLine */.BeR)(dir, repo.replicas.length)),
            }
            : {}),
    });
    return load;
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/targets.ts
// Which target databases (and their directory) a command line selects; shared by apply and status.
// Explicit flags (--url --dir ...) win over the env block of atlas.hcl (--config --env).




const TARGET_FLAGS = [
    ...CONFIG_FLAGS,
    {
        name: "url",
        type: "string",
        description: "the target database URL, e.g. postgres://user:pass@host:5432/db",
    },
    {
        name: "dir",
        type: "string",
        description: "the migration directory: file://path, or atlas://repo read through the relay",
    },
    {
        name: "revisions-schema",
        type: "string",
        description: "schema of atlas_schema_revisions (default: the URL's search_path, else atlas_schema_revisions)",
    },
    FORMAT_FLAG,
    ...ATLAS_COMPAT_FLAGS,
];
/** One target per env instance (for_each), or the single one --url/--dir name. */
async function selectTargets(flags, io) {
    const explicit = { url: str(flags, "url"), dir: str(flags, "dir") };
    if (!hasEnvFlag(flags))
        return (0,src/* applyTargetsOf */.Gv2)(undefined, explicit);
    return (0,src/* applyTargetsOf */.Gv2)(await loadEnvsFromFlags(flags, io), explicit);
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/apply.ts







function optionsOf(flags, target) {
    return (0,src/* applyOptionsOf */.OLg)(target.url, {
        txMode: str(flags, "tx-mode"),
        execOrder: str(flags, "exec-order"),
        baseline: str(flags, "baseline"),
        allowDirty: bool(flags, "allow-dirty"),
        amount: str(flags, "amount"),
        toVersion: str(flags, "to-version"),
        dryRun: bool(flags, "dry-run"),
        revisionsSchema: str(flags, "revisions-schema"),
        lockTimeout: str(flags, "lock-timeout"),
    }, target.env);
}
const applyCommand = {
    name: "apply",
    summary: "Apply pending migration files to PostgreSQL, as `atlas migrate apply` does.",
    usage: "migrate-relay apply (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [flags]",
    example: "migrate-relay apply --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations --tx-mode file",
    flags: [
        ...TARGET_FLAGS,
        ...RELAY_FLAGS,
        {
            name: "tx-mode",
            type: "string",
            description: "transaction mode: file, all or none",
            default: src/* DEFAULT_TX_MODE */.dv4,
        },
        {
            name: "exec-order",
            type: "string",
            description: `files added out of order: linear (error), linear-skip (skip), non-linear (run) [default ${src/* DEFAULT_EXEC_ORDER */.vBi}]`,
        },
        {
            name: "baseline",
            type: "string",
            description: "first run on a non-clean database: start after this version",
        },
        {
            name: "allow-dirty",
            type: "bool",
            description: "first run on a non-clean database: apply everything anyway",
        },
        { name: "amount", type: "string", description: "apply at most this many pending files" },
        {
            name: "to-version",
            type: "string",
            description: "apply pending files up to and including this version",
        },
        {
            name: "parallelism",
            type: "string",
            description: `several targets (for_each): apply to this many at once [default ${src/* DEFAULT_PARALLELISM */.rit}]`,
        },
        {
            name: "shard",
            type: "string",
            description: "apply only shard i of n of the targets (by a stable hash of the instance key), e.g. 2/4",
        },
        {
            name: "canary",
            type: "string",
            description: "instance keys to apply first, comma-separated; if one fails, no other target starts",
        },
        {
            name: "max-failures",
            type: "string",
            description: "stop starting new targets after this many failed (the rest are reported as not started)",
        },
        { name: "dry-run", type: "bool", description: "print what would run; write nothing (no table, no lock)" },
        {
            name: "lock-timeout",
            type: "string",
            description: `how long to wait for another apply's lock [default ${durationText(src/* DEFAULT_LOCK_TIMEOUT_MS */.L$M)}]`,
        },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length > 1)
            throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.join(" ")}`);
        // Atlas takes the amount as a positional argument too: `atlas migrate apply 1`.
        if (positionals[0] !== undefined) {
            if (str(flags, "amount") !== undefined)
                throw (0,src/* inputError */.Xum)("pass the amount once: either --amount or the argument");
            flags.amount = positionals[0];
        }
        // stdout carries the result only (Atlas's text, or what --format asks); progress goes to stderr.
        const template = formatOf(flags);
        noteAtlasFlags(flags, io);
        const targets = await selectTargets(flags, io);
        // Every target's options and the rollout settings are checked before any database is touched.
        const prepared = targets.map((t) => ({ target: t, options: optionsOf(flags, t) }));
        const settings = (0,src/* fleetSettingsOf */.l98)({
            parallelism: str(flags, "parallelism"),
            shard: str(flags, "shard"),
            canary: str(flags, "canary"),
            maxFailures: str(flags, "max-failures"),
        });
        const loadDir = dirLoader(flags, io, { log: true });
        // Several targets run side by side: each line names its target.
        const prefix = (label) => (targets.length > 1 && label ? `${label}: ` : "");
        // SIGINT/SIGTERM: running files roll back, the locks are released, nothing new starts, the report
        // says what was applied and the exit is 1.
        return whileStoppable(io, "rolling back the current file and stopping", async (stop) => {
            const announced = new Set();
            const fleet = await (0,src/* applyFleet */["do"])(prepared, {
                ...settings,
                signal: stop,
                load: async (target) => {
                    const loaded = await loadDir(target);
                    if (loaded.state && loaded.source && !announced.has(loaded.source)) {
                        announced.add(loaded.source);
                        io.err((0,src/* readStateLine */.A$l)(loaded.state, loaded.source));
                        if (loaded.state.lagging?.length)
                            io.err(`Warning: ${(0,src/* laggingLine */.Eog)(loaded.state.lagging)}`);
                    }
                    return loaded;
                },
                onStart: (target) => io.err((0,src/* applyStartLine */.tbn)(target)),
                onFile: (target, f) => io.err(`${prefix(target.label)}${(0,src/* appliedFileLine */.SvU)(f)}`),
                // A failure is Atlas's `Error: ...`; otherwise the same sentence as the actions' log.
                onDone: (run) => io.err(`${prefix(run.label)}${run.result.error ? `Error: ${run.result.error.message}` : (0,src/* applyStatusText */.OVZ)({ result: run.result })}`),
            });
            const notStarted = fleet.runs.filter((r) => r.outcome === "not-started");
            if (fleet.shard)
                io.err(`Shard ${fleet.shard.index}/${fleet.shard.count}: ${fleet.runs.length} of ${fleet.total} targets`);
            if (notStarted.length)
                io.err(`${notStarted.length} target(s) not started (${fleet.stopped}): ${notStarted
                    .slice(0, 20)
                    .map((r) => r.label ?? r.key)
                    .join(", ")}${notStarted.length > 20 ? ", ..." : ""}`);
            if (fleet.runs.length > 1)
                io.err((0,src/* fleetCountsLine */.TVk)(fleet.runs.map((r) => r.outcome)));
            for (const run of fleet.runs)
                printApplyRun(io, template, run);
            // Best effort, as Atlas: a report that fails is a line on stderr, never a failed apply.
            const started = fleet.runs.filter((r) => r.outcome !== "not-started");
            const byKey = new Map(prepared.map((p) => [(0,src/* targetKey */.hDX)(p.target), p.target]));
            const report = await (0,src/* reportDeployments */.zbs)(started.map((r) => ({ target: byKey.get(r.key), result: r.result })), loadDir, "CLI");
            if (report)
                io.err((0,src/* deploymentLine */.COB)(report));
            return fleet.runs.some((r) => r.outcome === "failed" || r.outcome === "not-started") || stop.aborted
                ? 1
                : 0;
        });
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/env.ts



// redactUrl re-serializes (file://migrations -> file://migrations/); show URLs as written unless secret.
/** The env as it is safe to show: URLs redacted, the token reduced to "***". */
function redactEnv(env) {
    const url = (u) => (u === undefined ? undefined : (0,src/* redactUrl */.BOE)(u));
    const { repo } = env.migration;
    // The JSON round trip drops the fields left undefined, so unset settings do not print.
    return JSON.parse(JSON.stringify({
        ...env,
        url: url(env.url),
        dev: url(env.dev),
        migration: {
            ...env.migration,
            dir: url(env.migration.dir),
            repo: { ...repo, backup: repo.backup.map(src/* redactUrl */.BOE), url: url(repo.url) },
        },
        cloud: {
            ...env.cloud,
            token: env.cloud.token === undefined ? undefined : "***",
            url: url(env.cloud.url),
        },
    }));
}
/** Text form: one section per instance, one `key: value` line per setting that is set. */
function formatEnvText(env) {
    const title = env.instance === undefined ? `env "${env.name}"` : `env "${env.name}" (instance "${env.instance}")`;
    const m = env.migration;
    const rows = [
        ["url", env.url],
        ["dev", env.dev],
        ["migration.dir", m.dir],
        ["migration.format", m.format],
        ["migration.baseline", m.baseline],
        ["migration.exec_order", m.execOrder],
        ["migration.lock_timeout", m.lockTimeout],
        ["migration.revisions_schema", m.revisionsSchema],
        ["migration.repo.name", m.repo.name],
        ["migration.repo.url", m.repo.url],
        ["cloud.url", env.cloud.url],
        ["cloud.project", env.cloud.project],
        ["cloud.token", env.cloud.token],
    ];
    const width = Math.max(...rows.map(([k]) => k.length), "migration.repo.backup".length);
    const lines = [title];
    for (const [key, value] of rows)
        lines.push(`  ${`${key}:`.padEnd(width + 1)} ${value ?? "(not set)"}`);
    const backups = m.repo.backup;
    lines.push(`  ${"migration.repo.backup:".padEnd(width + 1)} ${backups.length === 0 ? "(none)" : ""}`.trimEnd());
    for (const b of backups)
        lines.push(`    - ${b}`);
    return lines;
}
const envCommand = {
    name: "env",
    summary: "Show an env of atlas.hcl as push and apply will use it (secrets redacted).",
    usage: "migrate-relay env --env <name> [--config file://atlas.hcl] [--var key=value ...] [--format json]",
    example: "migrate-relay env --config file://atlas.hcl --env prod --var tenants=acme --format json",
    flags: [
        ...CONFIG_FLAGS,
        { name: "format", type: "string", description: 'output format: "text" or "json"', default: "text" },
    ],
    async run(args, io) {
        const format = str(args.flags, "format") ?? "text";
        if (format !== "text" && format !== "json") {
            throw (0,src/* inputError */.Xum)(`--format ${JSON.stringify(format)}: expected "text" or "json"`);
        }
        if (args.positionals.length > 0)
            throw (0,src/* inputError */.Xum)(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
        const envs = (await loadEnvsFromFlags(args.flags, io)).map(redactEnv);
        if (format === "json") {
            io.out(JSON.stringify(envs, null, 2));
            return 0;
        }
        envs.forEach((env, i) => {
            if (i > 0)
                io.out("");
            for (const line of formatEnvText(env))
                io.out(line);
        });
        return 0;
    },
};

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./packages/cli/src/commands/hash.ts
// `migrate-relay hash`: write atlas.sum as `atlas migrate hash` does, or check it (`--check`), as
// `atlas migrate validate` does for the integrity file.





/** The directories to hash: --dir, else the env's migration.dir (each distinct one), else the default. */
async function dirsToHash(flags, io) {
    const explicit = str(flags, "dir");
    if (explicit)
        return [explicit];
    if (!hasEnvFlag(flags))
        return [src/* DEFAULT_DIR */.eJH];
    const dirs = new Set();
    for (const env of await loadEnvsFromFlags(flags, io)) {
        const dir = env.migration.dir;
        if (!dir)
            throw (0,src/* inputError */.Xum)(`env "${env.name}" sets no migration.dir; pass --dir file://<path>`);
        dirs.add(dir);
    }
    return [...dirs];
}
const hashCommand = {
    name: "hash",
    summary: "Write atlas.sum for a migration directory, or check it with --check.",
    usage: "migrate-relay hash [--dir file://migrations | --env <name>] [--check]",
    example: "migrate-relay hash --dir file://migrations && migrate-relay hash --dir file://migrations --check",
    flags: [
        {
            name: "dir",
            type: "string",
            description: `the migration directory URL (default ${src/* DEFAULT_DIR */.eJH}, or the env's migration.dir with --env)`,
        },
        {
            name: "check",
            type: "bool",
            description: "validate atlas.sum against the files instead of writing it (exit 1 when they differ)",
        },
        ...CONFIG_FLAGS,
    ],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw (0,src/* inputError */.Xum)(`unexpected argument "${args.positionals[0]}"`);
        const check = bool(args.flags, "check");
        let failed = false;
        for (const url of await dirsToHash(args.flags, io)) {
            const path = (0,src/* dirPath */.Jz_)(url, io.cwd);
            const dir = await (0,src/* readDir */.CiP)(url, io.cwd);
            if (check) {
                try {
                    (0,src/* validateDir */.Y6r)(dir);
                }
                catch (err) {
                    if (!(0,src/* isRelayError */.asP)(err, "integrity"))
                        throw err;
                    io.err(`migrate-relay hash: ${err.message}`);
                    io.err(`${path}: atlas.sum does not match the migration files. If the change is intended, run ` +
                        "`migrate-relay hash` (or `atlas migrate hash`) and commit atlas.sum; otherwise restore the files.");
                    failed = true;
                    continue;
                }
                const total = dir.sum ? (0,src/* sumTotal */._lm)(dir.sum) : "no atlas.sum, no files";
                io.out(`${path}: atlas.sum matches ${dir.files.length} file(s) (${total})`);
                continue;
            }
            const sum = (0,src/* hashDir */.YTL)(dir.files);
            const file = (0,external_node_path_.join)(path, src/* SUM_FILE */.P4N);
            const before = await (0,promises_.readFile)(file).catch(() => null);
            const same = before !== null && Buffer.compare(before, sum) === 0;
            if (!same)
                await (0,promises_.writeFile)(file, sum);
            io.out(`${file}: ${same ? "unchanged" : "written"}, ${dir.files.length} file(s) (${(0,src/* sumTotal */._lm)(sum)})`);
        }
        return failed ? 1 : 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/pull.ts






const pullCommand = {
    name: "pull",
    summary: "Read a migration directory from the registry, or the first backup that has it, into a folder.",
    usage: "migrate-relay pull (--config file://atlas.hcl --env <name> | --dir atlas://<repo> --backup <url>...) --to <folder> [flags]",
    example: "migrate-relay pull --config file://atlas.hcl --env prod --to ./migrations-from-registry",
    flags: [
        { name: "dir", type: "string", description: "atlas://<repo>[?tag=T|?version=V] to read" },
        ...REPO_FLAGS,
        {
            name: "to",
            type: "string",
            description: "the folder to write the directory into (created if missing)",
        },
        { name: "tag", type: "string", description: `the tag to read [default ${src/* DEFAULT_TAG */.fLq}]` },
        { name: "version", type: "string", description: "read the state whose last file is this version" },
        timeoutFlagSpec("per-replica time before moving on", src/* DEFAULT_PULL_TIMEOUT_MS */.vNM),
        retriesFlagSpec("extra attempts per replica before moving on", src/* DEFAULT_PULL_RETRIES */.X32),
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length)
            throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.join(" ")}`);
        const to = str(flags, "to");
        if (!to)
            throw (0,src/* inputError */.Xum)("--to is required: the folder to write the migration directory into");
        const template = formatOf(flags);
        const json = template !== undefined;
        const env = await envFromFlags(flags, io);
        const repo = repoFromFlags(flags, io, env, registryDirOf(flags, env));
        const tag = str(flags, "tag");
        const version = str(flags, "version");
        if (tag && version)
            throw (0,src/* inputError */.Xum)("give --tag or --version, not both");
        const ref = tag ? { tag } : version ? { version } : repo.ref;
        const retries = retriesFlag(flags, src/* DEFAULT_PULL_RETRIES */.X32);
        try {
            const result = await (0,src/* pull */.a$H)(repo.replicas, {
                ...(ref ? { ref } : {}),
                timeoutMs: durationFlag(flags, "timeout") ?? src/* DEFAULT_PULL_TIMEOUT_MS */.vNM,
                retries,
                grants: grantsFromFlags(flags, io),
                ...(json
                    ? {}
                    : { onAttempt: (a) => (a.outcome === "ok" ? io.out : io.err)((0,src/* attemptLogLine */.EUT)(a)) }),
            });
            const path = (0,external_node_path_.resolve)(io.cwd, to);
            await (0,src/* writeDir */.Zj7)(path, result.dir);
            const { dir: _files, ...summary } = result;
            if (template)
                printFormatted(io, template, { ...summary, files: result.dir.files.length, to: path });
            else {
                io.out(`Read ${repo.slug} ${(0,src/* stateText */.r9p)(result.state)} (${result.dir.files.length} files) from ${result.source} into ${to}`);
                if (result.lagging?.length)
                    io.err(`Warning: ${(0,src/* laggingLine */.Eog)(result.lagging.map(src/* laggingText */.$MR))}`);
            }
            return 0;
        }
        catch (err) {
            if (!(err instanceof src/* PullError */.YX3))
                throw err;
            if (template)
                printFormatted(io, template, { error: err.message, kind: err.kind, trail: err.trail });
            io.err(`Error: ${err.message}`);
            return 1;
        }
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/push.ts






const contextOf = (context) => (context ? { context } : {});
/**
 * Atlas's spelling `push NAME[:TAG]` (`atlas migrate push app:v1`, as atlasexec passes it) sets the
 * repository and the tag; it may repeat --dir-name/--tag but not contradict them.
 */
function nameAndTag(flags, positionals) {
    if (positionals.length > 1)
        throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.slice(1).join(" ")}`);
    const flagName = str(flags, "dir-name");
    const flagTag = str(flags, "tag");
    if (positionals[0] === undefined)
        return { name: flagName, tag: flagTag };
    const arg = positionals[0];
    const colon = arg.lastIndexOf(":");
    const name = colon < 0 ? arg : arg.slice(0, colon);
    const tag = colon < 0 ? undefined : arg.slice(colon + 1);
    if (!name || tag === "")
        throw (0,src/* inputError */.Xum)(`"${arg}": expected NAME or NAME:TAG, e.g. app or app:v1`);
    if (flagName !== undefined && flagName !== name)
        throw (0,src/* inputError */.Xum)(`the argument names repository "${name}" but --dir-name is "${flagName}": pass one`);
    if (tag !== undefined && flagTag !== undefined && flagTag !== tag)
        throw (0,src/* inputError */.Xum)(`the argument names tag "${tag}" but --tag is "${flagTag}": pass one`);
    return { name, tag: tag ?? flagTag };
}
const pushCommand = {
    name: "push",
    summary: "Publish a migration directory to the registry and every backup at once.",
    usage: "migrate-relay push [NAME[:TAG]] (--config file://atlas.hcl --env <name> | --dir file://migrations --backup <url>...) [flags]",
    example: "ATLAS_TOKEN=... migrate-relay push --dir file://migrations --dir-name app --backup 's3://my-backups/atlas?region=us-east-1' --backup file:///mnt/backups --tag $GIT_SHA",
    flags: [
        {
            name: "dir",
            type: "string",
            description: `the migration directory to publish [default ${src/* DEFAULT_DIR */.eJH}]`,
        },
        ...REPO_FLAGS,
        {
            name: "dev-url",
            type: "string",
            description: "a dev database: every file runs on a scratch database beside it before anything is published [default: the env's dev]",
        },
        { name: "tag", type: "string", description: `the tag to publish [default ${src/* DEFAULT_TAG */.fLq}]` },
        { name: "latest", type: "bool", description: "also move the latest tag (only forward)", default: "true" },
        { name: "force", type: "bool", description: "move latest even when the new state does not extend it" },
        timeoutFlagSpec("per-target time, retries included", src/* DEFAULT_PUSH_TIMEOUT_MS */.w3H),
        retriesFlagSpec("extra attempts per target after a transient error", src/* DEFAULT_PUSH_RETRIES */.G94),
        ...ATLAS_COMPAT_FLAGS,
        {
            name: "lock-timeout",
            type: "string",
            description: "accepted for Atlas compatibility; push takes no lock",
        },
        {
            name: "revisions-schema",
            type: "string",
            description: "accepted for Atlas compatibility; push writes no revisions table",
        },
    ],
    async run({ flags, positionals }, io) {
        // stdout carries the result only (the pushed URL, or what --format asks); progress goes to stderr.
        const { name, tag } = nameAndTag(flags, positionals);
        const template = formatOf(flags);
        noteAtlasFlags(flags, io, {
            "lock-timeout": "push takes no lock",
            "revisions-schema": "push writes no revisions table",
        });
        const env = await envFromFlags(flags, io);
        const source = (0,src/* setting */.PeC)(str(flags, "dir"), env?.migration.dir, src/* DEFAULT_DIR */.eJH);
        if ((0,src/* isRegistryUrl */.bs2)(source)) {
            throw (0,src/* inputError */.Xum)(`push reads a local directory: --dir ${source} is a registry URL (use file://...)`);
        }
        const repo = repoFromFlags({ ...flags, "dir-name": name }, io, env);
        const retries = retriesFlag(flags, src/* DEFAULT_PUSH_RETRIES */.G94);
        const dir = await (0,src/* readDir */.CiP)(source, io.cwd);
        // Publish only a directory that applies: a failed replay stops here, before any target is written.
        const devUrl = (0,src/* setting */.PeC)(str(flags, "dev-url"), env?.dev);
        if (devUrl) {
            const replay = await whileStoppable(io, "dropping the scratch database and stopping", (signal) => (0,src/* replayDir */.NwG)(devUrl, dir, { signal }));
            io.err((0,src/* replayLine */.wxD)(replay));
        }
        const result = await (0,src/* push */.VCO)(dir, repo.replicas, {
            repo: repo.slug,
            tag: tag ?? src/* DEFAULT_TAG */.fLq,
            latest: bool(flags, "latest"),
            force: bool(flags, "force"),
            timeoutMs: durationFlag(flags, "timeout") ?? src/* DEFAULT_PUSH_TIMEOUT_MS */.w3H,
            retries,
            grants: grantsFromFlags(flags, io),
            source: {
                ...(io.env.GITHUB_SHA ? { commit: io.env.GITHUB_SHA } : {}),
                ...(io.env.GITHUB_REF ? { ref: io.env.GITHUB_REF } : {}),
                ...(io.env.GITHUB_RUN_ID ? { run: io.env.GITHUB_RUN_ID } : {}),
            },
            ...contextOf((0,src/* runContextFromEnv */.wXc)(io.env, source)),
            onTarget: (t) => io.err((0,src/* pushTargetLine */.wCK)(t)),
        });
        if (template)
            printFormatted(io, template, (0,src/* atlasPushJson */.AMx)(result));
        if (!result.ok) {
            io.err(`Error: ${result.error}`);
            return 1;
        }
        io.err((0,src/* pushStatusText */.Ifz)(result));
        if (!template)
            io.out((0,src/* pushedUrl */.Bkr)(result));
        return 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/status.ts





const statusCommand = {
    name: "status",
    summary: "Show the migration status of a database: current version, pending files, a partial file.",
    usage: "migrate-relay status (--url <db> [--dir file://migrations] | --config file://atlas.hcl --env <name>) [--format json]",
    example: "migrate-relay status --url 'postgres://app:pass@localhost:5432/app?sslmode=disable' --dir file://migrations",
    flags: [
        ...TARGET_FLAGS,
        ...RELAY_FLAGS,
        { name: "baseline", type: "string", description: "the baseline apply would use on a first run" },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length > 0)
            throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.join(" ")}`);
        // stdout carries the result only (Atlas's text, or what --format asks); progress goes to stderr.
        const template = formatOf(flags);
        noteAtlasFlags(flags, io);
        const results = [];
        const loadDir = dirLoader(flags, io, { log: true });
        for (const target of await selectTargets(flags, io)) {
            let result;
            try {
                const loaded = await loadDir(target);
                result = await (0,src/* dirStatus */.yR_)(loaded.dir, {
                    url: target.url,
                    revisionsSchema: (0,src/* setting */.PeC)(str(flags, "revisions-schema"), target.env?.migration.revisionsSchema),
                    baseline: (0,src/* setting */.PeC)(str(flags, "baseline"), target.env?.migration.baseline),
                    source: loaded.source,
                    trail: loaded.trail,
                });
            }
            catch (err) {
                if (!(0,src/* isRelayError */.asP)(err) || err.kind === "config" || err.kind === "input")
                    throw err;
                const { error, trail } = (0,src/* failureOf */.g5)(err);
                result = (0,src/* failedStatus */.Wx_)((0,src/* redactUrl */.BOE)(target.url), error, trail ? { trail } : {});
            }
            results.push(result);
            if (target.label)
                io.err(`env ${target.label} (${result.url}):`);
            printStatus(io, template, result, target.dir);
        }
        return results.some((r) => r.error) ? 1 : 0;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/commands/verify.ts
// `migrate-relay verify` and `sync`: which replica holds what, and copying the missing states over.







/** The repository flags, minus the grant's (neither command needs a license grant). */
const FLAGS = [
    { name: "dir", type: "string", description: "atlas://<repo> whose replicas to check" },
    ...REPO_FLAGS.filter((f) => f.name !== "grant-dir" && f.name !== "grant-ttl"),
    timeoutFlagSpec("per-replica time for its reads", src/* DEFAULT_HEALTH_TIMEOUT_MS */.MK0),
    {
        name: "summary",
        type: "string",
        description: "also append the table as Markdown to this file (e.g. $GITHUB_STEP_SUMMARY)",
    },
];
async function repoOf(flags, io) {
    const env = await envFromFlags(flags, io);
    return repoFromFlags(flags, io, env, registryDirOf(flags, env));
}
const secretsOf = (flags, io) => [str(flags, "cloud-token"), io.env.ATLAS_TOKEN].filter((s) => !!s);
async function appendSummary(flags, io, markdown) {
    const file = str(flags, "summary");
    if (file)
        await (0,promises_.appendFile)((0,external_node_path_.resolve)(io.cwd, file), `${markdown}\n`);
}
function printTable(report, io, secrets) {
    for (const line of (0,src/* healthTable */.Phd)(report, secrets))
        io.out(line);
}
const verifyCommand = {
    name: "verify",
    summary: "Show what every replica holds (latest, tags), which lag, which are corrupt or unreachable.",
    usage: "migrate-relay verify (--config file://atlas.hcl --env <name> | --dir-name <repo> --backup <url>...) [--deep] [flags]",
    example: 'migrate-relay verify --config file://atlas.hcl --env prod --deep --summary "$GITHUB_STEP_SUMMARY"',
    flags: [
        ...FLAGS,
        {
            name: "deep",
            type: "bool",
            description: "also download and verify every archive the latest and tags point to",
        },
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length)
            throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.join(" ")}`);
        const template = formatOf(flags);
        const json = template !== undefined;
        const repo = await repoOf(flags, io);
        const secrets = secretsOf(flags, io);
        const report = await (0,src/* inspect */.Nnt)(repo.replicas, {
            deep: bool(flags, "deep"),
            timeoutMs: durationFlag(flags, "timeout") ?? src/* DEFAULT_HEALTH_TIMEOUT_MS */.MK0,
            secrets,
        });
        if (json)
            printFormatted(io, template, { repo: repo.slug, ...report });
        else {
            printTable(report, io, secrets);
            (report.ok ? io.out : io.err)(`${report.ok ? "" : "Error: "}${repo.slug}: ${(0,src/* healthStatusText */.AgD)(report)}`);
        }
        await appendSummary(flags, io, (0,src/* healthSummary */.pI7)(report, secrets));
        return report.ok ? 0 : 1;
    },
};
const syncCommand = {
    name: "sync",
    summary: "Copy to each lagging replica (registry included) the states it lacks, verified first.",
    usage: "migrate-relay sync (--config file://atlas.hcl --env <name> | --dir-name <repo> --backup <url>...) [--dry-run] [flags]",
    example: "migrate-relay sync --config file://atlas.hcl --env prod --dry-run",
    flags: [
        ...FLAGS,
        { name: "dry-run", type: "bool", description: "print the copies it would make; write nothing" },
        retriesFlagSpec("extra attempts per copy after a transient error", src/* DEFAULT_SYNC_RETRIES */.xsi),
    ],
    async run({ flags, positionals }, io) {
        if (positionals.length)
            throw (0,src/* inputError */.Xum)(`unexpected arguments: ${positionals.join(" ")}`);
        const template = formatOf(flags);
        const json = template !== undefined;
        const retries = retriesFlag(flags, src/* DEFAULT_SYNC_RETRIES */.xsi);
        const repo = await repoOf(flags, io);
        const secrets = secretsOf(flags, io);
        const dryRun = bool(flags, "dry-run");
        const result = await (0,src/* sync */.OH5)(repo.replicas, {
            repo: repo.slug,
            dryRun,
            retries,
            timeoutMs: durationFlag(flags, "timeout") ?? src/* DEFAULT_HEALTH_TIMEOUT_MS */.MK0,
            secrets,
            ...(json ? {} : { onStep: (s) => (s.ok ? io.out : io.err)((0,src/* syncStepLine */.wGv)(s)) }),
        });
        if (json)
            printFormatted(io, template, { repo: repo.slug, ...result });
        else {
            if (dryRun)
                for (const s of result.steps)
                    io.out((0,src/* syncStepLine */.wGv)(s));
            (result.ok ? io.out : io.err)(`${result.ok ? "" : "Error: "}${repo.slug}: ${(0,src/* syncStatusText */.$2W)(result)}`);
        }
        await appendSummary(flags, io, (0,src/* syncSummary */.wYX)(result, secrets));
        return result.ok ? 0 : 1;
    },
};

;// CONCATENATED MODULE: ./packages/cli/src/index.ts
// The `migrate-relay` command: every CI system's front end to the core library.









// Each command lives in its own module under commands/; list it here to make it reachable.
const COMMANDS = [
    applyCommand,
    envCommand,
    hashCommand,
    pullCommand,
    pushCommand,
    statusCommand,
    syncCommand,
    verifyCommand,
];
/**
 * A write that survives its reader going away (`migrate-relay apply ... | head`): after EPIPE or any
 * other stream error the rest of the output is dropped and the work goes on, so an apply is never
 * stopped midway by its log, and no stack trace is printed.
 */
function lineWriter(stream) {
    let closed = false;
    if (!stream.listenerCount("error"))
        stream.on("error", () => {
            closed = true;
        });
    return (line) => {
        if (closed || stream.destroyed)
            return;
        stream.write(`${line}\n`);
    };
}
let writers;
function processWriters() {
    if (!writers)
        writers = { out: lineWriter(process.stdout), err: lineWriter(process.stderr) };
    return writers;
}
const processIo = () => ({
    ...processWriters(),
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
/**
 * Every line the CLI prints passes through here: the secrets known so far (secret env values, flag
 * values, what the config resolved to) and anything shaped like one (URL passwords, key=value) become ***.
 */
function redactingIo(io, argv) {
    const secrets = io.secrets ?? new src/* Secrets */.SbZ();
    secrets.add(...(0,src/* envSecrets */.vnG)(io.env));
    for (const arg of argv)
        secrets.addFrom(arg);
    return {
        ...io,
        secrets,
        out: (line) => io.out(secrets.redact(line)),
        err: (line) => io.err(secrets.redact(line)),
    };
}
/** Flags that carry a secret as a whole value (a token), not inside a URL. */
function addSecretFlags(secrets, flags) {
    for (const [name, value] of Object.entries(flags))
        if (/token|secret|password/i.test(name) && typeof value === "string")
            secrets.add(value);
}
/** Runs one command line; returns the exit code (0 ok, 1 failed, 2 bad usage or config). */
async function runCli(argv, given = processIo()) {
    const io = redactingIo(given, argv);
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
        const args = parseArgs(rest, cmd.flags);
        addSecretFlags(io.secrets, args.flags);
        return await cmd.run(args, io);
    }
    catch (err) {
        io.err(`migrate-relay ${cmd.name}: ${(0,src/* messageOf */.bDE)(err)}`);
        return (0,src/* isRelayError */.asP)(err, "config") || (0,src/* isRelayError */.asP)(err, "input") ? 2 : 1;
    }
}


/***/ })

};
