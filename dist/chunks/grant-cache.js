export const id = 662;
export const ids = [662];
export const modules = {

/***/ 28291:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OF: () => (/* binding */ grantStore),
/* harmony export */   at: () => (/* binding */ recordGrantChange),
/* harmony export */   qo: () => (/* binding */ grantDir),
/* harmony export */   rF: () => (/* binding */ restoreGrantCache),
/* harmony export */   saveGrantCache: () => (/* binding */ saveGrantCache)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(11053);
/* harmony import */ var _grant_state__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(93244);
/* harmony import */ var _inputs__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(23641);
/* harmony import */ var _runner__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(99874);
/* harmony import */ var _vocabulary__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(96912);
// The license-grant cache (docs/architecture.md, "The grant"): main restores the grant directory for
// its token from the GitHub cache, post saves it when main changed it. The cache client (and the Azure
// SDK it brings) is loaded only here, on first use: a run without a registry token never loads it.







const cacheClient = () => Promise.all(/* import() | actions-cache */[__webpack_require__.e(669), __webpack_require__.e(568), __webpack_require__.e(88), __webpack_require__.e(653)]).then(__webpack_require__.bind(__webpack_require__, 5931));
/**
 * The grant directory: $MIGRATE_RELAY_HOME/grants when set (a self-hosted runner that keeps it), else
 * $RUNNER_TEMP/migrate-relay/grants (per job; the cache carries it between runs), else the default.
 */
function grantDir() {
    if (process.env.MIGRATE_RELAY_HOME)
        return (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .defaultGrantDir */ .f2J)(process.env);
    if (process.env.RUNNER_TEMP)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(process.env.RUNNER_TEMP, "migrate-relay", "grants");
    return (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .defaultGrantDir */ .f2J)(process.env);
}
function grantStore(dir) {
    const ttlMs = (0,_inputs__WEBPACK_IMPORTED_MODULE_4__/* .durationInput */ .Ts)("grant-ttl");
    return new _migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .GrantStore */ .A0N({ dir, ...(ttlMs ? { ttlMs } : {}), hints: _vocabulary__WEBPACK_IMPORTED_MODULE_6__/* .ACTIONS_VOCABULARY */ .b9 });
}
/** Set by restoreGrantCache: this step uses the grant cache (a registry token is in play). */
let cacheInUse = false;
const cacheKeyPrefix = (token) => `migrate-relay-grant-${process.platform}-${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .tokenSha256 */ .zDY)(token)}-`;
/**
 * main: restores the grant directory for this token (the newest entry of any earlier run) and
 * records in the state what post needs. A cache service error is a warning, never a failure.
 */
async function restoreGrantCache(token, dir) {
    const prefix = cacheKeyPrefix(token);
    const key = `${prefix}${process.env.GITHUB_RUN_ID ?? "0"}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
    cacheInUse = true;
    _runner__WEBPACK_IMPORTED_MODULE_5__/* .saveState */ .LZ(_grant_state__WEBPACK_IMPORTED_MODULE_3__/* .GRANT_STATE */ .xF.on, "true");
    _runner__WEBPACK_IMPORTED_MODULE_5__/* .saveState */ .LZ(_grant_state__WEBPACK_IMPORTED_MODULE_3__/* .GRANT_STATE */ .xF.dir, dir);
    _runner__WEBPACK_IMPORTED_MODULE_5__/* .saveState */ .LZ(_grant_state__WEBPACK_IMPORTED_MODULE_3__/* .GRANT_STATE */ .xF.key, key);
    const started = performance.now();
    const cache = await cacheClient();
    if (!cache.isFeatureAvailable()) {
        _runner__WEBPACK_IMPORTED_MODULE_5__/* .warning */ .$e("license grant cache: the GitHub cache service is not available here; the grant will not be kept for later runs");
        return;
    }
    try {
        const hit = await cache.restoreCache([dir], key, [prefix]);
        _runner__WEBPACK_IMPORTED_MODULE_5__/* .info */ .pq(hit
            ? `License grant cache restored (${hit}) in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .formatMs */ ._VG)(performance.now() - started)}`
            : `License grant cache: none yet for this token (${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .formatMs */ ._VG)(performance.now() - started)})`);
    }
    catch (err) {
        _runner__WEBPACK_IMPORTED_MODULE_5__/* .warning */ .$e(`license grant cache could not be restored: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bDE)(err)}`);
    }
}
/** main, at the end: whether post must save the grant directory (only when the cache is in use). */
function recordGrantChange(changed) {
    if (!cacheInUse)
        return;
    _runner__WEBPACK_IMPORTED_MODULE_5__/* .saveState */ .LZ(_grant_state__WEBPACK_IMPORTED_MODULE_3__/* .GRANT_STATE */ .xF.changed, changed ? "true" : "false");
}
/** post, when main changed the grant directory: saves it. A cache service error is a warning. */
async function saveGrantCache({ dir, key }) {
    const started = performance.now();
    try {
        // A revoked grant leaves the directory empty; the cache still needs something to archive, so
        // that the empty state (not the revoked grant) is what the next run restores.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(dir, { recursive: true, mode: 0o700 });
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir)).length === 0)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, ".keep"), "");
        const cache = await cacheClient();
        if (!cache.isFeatureAvailable()) {
            _runner__WEBPACK_IMPORTED_MODULE_5__/* .warning */ .$e("license grant cache: the GitHub cache service is not available here; the grant is not kept");
            return;
        }
        const id = await cache.saveCache([dir], key);
        // The key is unique per run and attempt, so -1 means the cache service failed: say so.
        if (id === -1)
            _runner__WEBPACK_IMPORTED_MODULE_5__/* .warning */ .$e(`license grant cache was not saved (key ${key}); the next run may lack the grant`);
        else
            _runner__WEBPACK_IMPORTED_MODULE_5__/* .info */ .pq(`License grant cache saved (${key}) in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .formatMs */ ._VG)(performance.now() - started)}`);
    }
    catch (err) {
        _runner__WEBPACK_IMPORTED_MODULE_5__/* .warning */ .$e(`license grant cache could not be saved: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_2__/* .messageOf */ .bDE)(err)}`);
    }
}


/***/ }),

/***/ 23641:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hm: () => (/* binding */ boolInput),
/* harmony export */   Kg: () => (/* binding */ checkRepoNamed),
/* harmony export */   Ts: () => (/* binding */ durationInput),
/* harmony export */   dt: () => (/* binding */ listInput),
/* harmony export */   hF: () => (/* binding */ input),
/* harmony export */   ng: () => (/* binding */ repoOverridesFromInputs),
/* harmony export */   p7: () => (/* binding */ workingDirectory)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(11053);
/* harmony import */ var _runner__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(99874);
/* harmony import */ var _vocabulary__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(96912);
// The action inputs, read as the runner passes them (INPUT_<NAME>), in the actions' words: every
// message names `input "x"`, never a CLI flag. Explicit input > atlas.hcl > default is laid out in core
// (layerRepoConfig); here an empty input means "not given".




/** An input as given, trimmed; "" when not given. */
const input = (name) => _runner__WEBPACK_IMPORTED_MODULE_2__/* .getInput */ .V4(name).trim();
/** A boolean input; `fallback` when empty (the runner fills defaults, a bare `node main.js` does not). */
function boolInput(name, fallback) {
    if (input(name) === "")
        return fallback;
    try {
        return _runner__WEBPACK_IMPORTED_MODULE_2__/* .getBooleanInput */ .Vt(name);
    }
    catch {
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xum)(`${(0,_vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .inputName */ .yu)(name)} must be true or false, got "${input(name)}"`);
    }
}
/** A Go duration input ("10s", "1m30s"); undefined when empty. */
function durationInput(name) {
    const text = input(name);
    if (text === "")
        return undefined;
    const ms = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E9z)(text, (0,_vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .inputName */ .yu)(name));
    if (!(ms > 0))
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xum)(`${(0,_vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .inputName */ .yu)(name)} must be more than 0`);
    return ms;
}
/** One URL a line (blank lines and `#` comments skipped). */
const listInput = (name) => _runner__WEBPACK_IMPORTED_MODULE_2__/* .getMultilineInput */ .q3(name)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
/** The base of relative config and file:// paths. */
const workingDirectory = () => (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(process.cwd(), input("working-directory") || ".");
/** The repository must be named somewhere; say where, in the action's words. */
function checkRepoNamed(config) {
    if (config.name || (config.dir && (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .isRegistryUrl */ .bs2)(config.dir)))
        return;
    throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xum)(`no repository name: set ${(0,_vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .inputName */ .yu)("dir-name")}, or ${(0,_vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .inputName */ .yu)("env")} naming an env block of the config with migration.repo { name }`);
}
/** The repository inputs both actions take, over the env's migration.repo (explicit input wins). */
function repoOverridesFromInputs(cwd, backups) {
    return {
        name: input("dir-name"),
        extraBackups: backups,
        url: input("repo-url"),
        cloudUrl: input("cloud-url"),
        cloudToken: input("cloud-token"),
        fallbackToken: process.env.ATLAS_TOKEN,
        cwd,
        connectTimeoutMs: durationInput("connect-timeout") ?? _migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_CONNECT_TIMEOUT_MS */ .od_,
        hints: _vocabulary__WEBPACK_IMPORTED_MODULE_3__/* .ACTIONS_VOCABULARY */ .b9,
    };
}


/***/ }),

/***/ 99874:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   N4: () => (/* binding */ endGroup),
/* harmony export */   Oh: () => (/* binding */ startGroup),
/* harmony export */   Os: () => (/* binding */ group),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   Vt: () => (/* binding */ getBooleanInput),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   _o: () => (/* binding */ isDebug),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   q3: () => (/* binding */ getMultilineInput),
/* harmony export */   uH: () => (/* binding */ setOutput),
/* harmony export */   z3: () => (/* binding */ error)
/* harmony export */ });
/* unused harmony export notice */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
// The runner's side of a JavaScript action step: inputs (INPUT_<NAME>), log lines and workflow commands
// on stdout (::warning::, ::add-mask::, ...), and the file commands (GITHUB_OUTPUT, GITHUB_STATE,
// GITHUB_STEP_SUMMARY), written exactly as @actions/core 3 writes them and under its names, for the
// part the actions use. Why not @actions/core itself: it imports an HTTP client (for OIDC tokens these
// actions never ask for) that brings undici, a megabyte of JavaScript evaluated at start-up, which
// alone costs more than the start-up budget (docs/architecture.md, "Start-up"). The cache client
// still uses @actions/core, loaded with it only when the grant cache is in use.




/** An input as the runner passes it (`with:` and action.yml's defaults), trimmed; "" when not given. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
/** The YAML 1.2 core schema booleans, as @actions/core accepts them. */
function getBooleanInput(name) {
    const value = getInput(name);
    if (["true", "True", "TRUE"].includes(value))
        return true;
    if (["false", "False", "FALSE"].includes(value))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/** The non-empty lines of an input, each trimmed. */
const getMultilineInput = (name) => getInput(name)
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.trim());
const escapeData = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
/** `::command key=value,...::message` (empty properties left out, as @actions/core does). */
function issueCommand(command, properties, message) {
    const props = Object.entries(properties)
        .filter(([, value]) => Boolean(value))
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
    process.stdout.write(`::${command}${props.length ? ` ${props.join(",")}` : ""}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`);
}
function annotation(command, message, p) {
    issueCommand(command, {
        title: p.title,
        file: p.file,
        line: p.startLine,
        endLine: p.endLine,
        col: p.startColumn,
        endColumn: p.endColumn,
    }, message);
}
const info = (message) => {
    process.stdout.write(`${message}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`);
};
const debug = (message) => issueCommand("debug", {}, message);
const isDebug = () => process.env.RUNNER_DEBUG === "1";
const notice = (message, properties = {}) => annotation("notice", message, properties);
const warning = (message, properties = {}) => annotation("warning", message, properties);
const error = (message, properties = {}) => annotation("error", message, properties);
const startGroup = (name) => issueCommand("group", {}, name);
const endGroup = () => issueCommand("endgroup", {}, "");
/** `fn` inside a log group that closes however `fn` ends. */
async function group(name, fn) {
    startGroup(name);
    try {
        return await fn();
    }
    finally {
        endGroup();
    }
}
/** Masks a value in the log from here on. */
const setSecret = (secret) => issueCommand("add-mask", {}, secret);
/** An error annotation, and the step's exit code 1. */
function setFailed(message, properties = {}) {
    process.exitCode = 1;
    error(message, properties);
}
/** `name<<delimiter` ... `delimiter`, appended to GITHUB_<command>; the command form without the file. */
function keyValue(command, legacy, name, value) {
    const file = process.env[`GITHUB_${command}`];
    if (!file) {
        if (command === "OUTPUT")
            process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_3__.EOL);
        issueCommand(legacy, { name }, value);
        return;
    }
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    const delimiter = `ghadelimiter_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`Unexpected input: name or value contains the delimiter "${delimiter}"`);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.appendFileSync)(file, `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_3__.EOL}`, { encoding: "utf8" });
}
const setOutput = (name, value) => keyValue("OUTPUT", "set-output", name, value);
/** For the post step, which gets it as STATE_<name> (grant-state.ts reads it). */
const saveState = (name, value) => keyValue("STATE", "save-state", name, value);
/** Appends Markdown to the job summary (GITHUB_STEP_SUMMARY). */
async function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) {
        throw new Error("Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.");
    }
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.access)(file, node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.R_OK | node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.appendFile)(file, markdown, { encoding: "utf8" });
}


/***/ }),

/***/ 96912:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XP: () => (/* binding */ inActionWords),
/* harmony export */   b9: () => (/* binding */ ACTIONS_VOCABULARY),
/* harmony export */   yu: () => (/* binding */ inputName)
/* harmony export */ });
/* harmony import */ var _migrate_relay_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(11053);
// The actions' words in core's hints: settings are inputs, and the action caches the grant itself.

const inputName = (name) => `input "${name}"`;
const ACTIONS_VOCABULARY = {
    cloudToken: `${inputName("cloud-token")} or ATLAS_TOKEN`,
    dirName: inputName("dir-name"),
    keepGrants: `the action caches ~/.migrate-relay/grants between runs with the GitHub cache, per token; ${inputName("grant-ttl")} sets how long a grant lasts`,
    setting: inputName,
};
/** An error whose message names core's hints in the actions' words, before fail() reports it. */
function inActionWords(err) {
    if (err instanceof Error)
        err.message = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_0__/* .speak */ .LrH)(err.message, ACTIONS_VOCABULARY);
    return err;
}


/***/ })

};
