export const id = 870;
export const ids = [870,662];
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

/***/ 93244:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xe: () => (/* binding */ postGrantCache),
/* harmony export */   xF: () => (/* binding */ GRANT_STATE)
/* harmony export */ });
/* unused harmony export grantState */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
// What main tells post about the license-grant cache, through the step state (GITHUB_STATE in main,
// STATE_<name> in post). Read straight from the environment, as @actions/core's getState does, so the
// post step decides whether there is anything to save before it loads any other module.

const GRANT_STATE = {
    on: "grant-cache",
    dir: "grant-dir",
    key: "grant-key",
    changed: "grant-changed",
};
const state = (name) => process.env[`STATE_${name}`] ?? "";
function grantState() {
    if (state(GRANT_STATE.on) !== "true")
        return undefined;
    const dir = state(GRANT_STATE.dir);
    const key = state(GRANT_STATE.key);
    return { dir, key, changed: state(GRANT_STATE.changed) === "true" && dir !== "" && key !== "" };
}
/**
 * The post step of both actions: saves the grant directory when main changed it. With nothing to save
 * it loads neither @actions/core, the cache client nor core: one log line (as core.info writes it).
 */
async function postGrantCache() {
    const grant = grantState();
    if (!grant)
        return;
    if (!grant.changed) {
        process.stdout.write(`License grant unchanged: the cache is not saved again${node_os__WEBPACK_IMPORTED_MODULE_0__.EOL}`);
        return;
    }
    const { saveGrantCache } = await Promise.all(/* import() | grant-cache */[__webpack_require__.e(849), __webpack_require__.e(53), __webpack_require__.e(662)]).then(__webpack_require__.bind(__webpack_require__, 28291));
    await saveGrantCache(grant);
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


/***/ }),

/***/ 20526:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyMain: () => (/* reexport */ main),
  pushMain: () => (/* reexport */ main_main)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 61 modules
var src = __webpack_require__(11053);
// EXTERNAL MODULE: ./actions/common/inputs.ts
var inputs = __webpack_require__(23641);
// EXTERNAL MODULE: ./actions/common/vocabulary.ts
var vocabulary = __webpack_require__(96912);
;// CONCATENATED MODULE: ./actions/common/env.ts
// Loading the env block the `env` input names from the project file (`config`, with `vars`).



/** The project file the `config` input names (action.yml's default when a bare `node main.js` runs). */
const configInput = () => (0,inputs/* input */.hF)("config") || src/* DEFAULT_CONFIG */.PVc;
function varsInput() {
    const text = (0,inputs/* input */.hF)("vars");
    if (text === "")
        return undefined;
    let vars;
    try {
        vars = JSON.parse(text);
    }
    catch (err) {
        throw (0,src/* inputError */.Xum)(`${(0,vocabulary/* inputName */.yu)("vars")} is not JSON: ${(0,src/* messageOf */.bDE)(err)}; expected an object, e.g. {"tenant":"a"}`);
    }
    if (vars === null || typeof vars !== "object" || Array.isArray(vars)) {
        throw (0,src/* inputError */.Xum)(`${(0,vocabulary/* inputName */.yu)("vars")} must be a JSON object, e.g. {"tenant":"a"}`);
    }
    return vars;
}
/** The env instances `env` selects in `config` (one per for_each instance); undefined without `env`. */
async function envsFromInputs(cwd) {
    const env = (0,inputs/* input */.hF)("env");
    if (env === "")
        return undefined;
    const vars = varsInput();
    return (0,src/* loadEnv */.yaP)({
        config: configInput(),
        env,
        ...(vars ? { vars } : {}),
        cwd,
        getenv: (name) => process.env[name],
    });
}

// EXTERNAL MODULE: ./actions/common/grant-cache.ts
var grant_cache = __webpack_require__(28291);
// EXTERNAL MODULE: ./actions/common/runner.ts
var runner = __webpack_require__(99874);
;// CONCATENATED MODULE: ./actions/common/masking.ts
// Masking: every secret of the run is registered with the runner (`::add-mask::`) the moment it is known.


/** The run's secrets, each masked in the runner's log (core.setSecret) as it is added. */
function runnerSecrets() {
    return new src/* Secrets */.SbZ((secret) => runner/* setSecret */.Pq(secret)).add(...(0,src/* envSecrets */.vnG)());
}

;// CONCATENATED MODULE: ./actions/common/step-result.ts
// How a step ends: its outputs, its job summary, and a failure as one message (no stack).


/** Sets each output (GITHUB_OUTPUT). */
function setOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs))
        runner/* setOutput */.uH(name, value);
}
/** Fails the step with the error's message under `title`; the stack only with ACTIONS_STEP_DEBUG. */
function fail(err, secrets, title) {
    const message = secrets.redact((0,src/* messageOf */.bDE)(err));
    runner/* setFailed */.C1(message, { title });
    if (runner/* isDebug */._o() && err instanceof Error && err.stack) {
        runner/* debug */.Yz(secrets.redact(err.stack));
    }
    return message;
}
/** A job summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        runner/* info */.pq("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?)");
        return;
    }
    try {
        await runner/* appendSummary */.fe(markdown);
    }
    catch (err) {
        runner/* warning */.$e(`job summary not written: ${(0,src/* messageOf */.bDE)(err)}`);
    }
}

;// CONCATENATED MODULE: ./actions/apply/main.ts
// The apply action: inputs -> the rollout over the targets (core applyFleet: for_each envs give several,
// in parallel, sharded), the directory read once through the relay -> outputs (atlas-action's names),
// log lines, job summary; the grant cache around it.





// `core`: the runner protocol, under @actions/core's names (common/runner.ts says why not that package).



/** The title of the annotation that fails the step. */
const APPLY_FAILED = "migrate-relay apply failed";
async function main() {
    const secrets = runnerSecrets();
    let grantChanged = false;
    let grants;
    try {
        secrets.add((0,inputs/* input */.hF)("cloud-token"));
        const backups = (0,inputs/* listInput */.dt)("backups");
        // `url` may name several databases, one a line (a fleet without an env).
        secrets.addFrom(...(0,inputs/* listInput */.dt)("url"), (0,inputs/* input */.hF)("repo-url"), ...backups);
        const cwd = (0,inputs/* workingDirectory */.p7)();
        const envs = await envsFromInputs(cwd);
        for (const env of envs ?? [])
            secrets.addEnv(env);
        if (envs) {
            const names = envs.map((e) => (e.instance === undefined ? e.name : `${e.name}[${e.instance}]`));
            runner/* info */.pq(`Loaded env "${(0,inputs/* input */.hF)("env")}" from ${configInput()}: ${names.join(", ")}`);
        }
        const targets = (0,src/* applyTargetsOf */.Gv2)(envs, { url: (0,inputs/* input */.hF)("url"), dir: (0,inputs/* input */.hF)("dir") }, vocabulary/* inputName */.yu);
        for (const t of targets)
            secrets.addFrom(t.url, t.dir);
        // Every target's options are checked before any database is touched.
        const prepared = targets.map((target) => ({
            target,
            options: (0,src/* applyOptionsOf */.OLg)(target.url, {
                txMode: (0,inputs/* input */.hF)("tx-mode"),
                execOrder: (0,inputs/* input */.hF)("exec-order"),
                baseline: (0,inputs/* input */.hF)("baseline"),
                allowDirty: (0,inputs/* boolInput */.Hm)("allow-dirty", false),
                amount: (0,inputs/* input */.hF)("amount"),
                toVersion: (0,inputs/* input */.hF)("to-version"),
                dryRun: (0,inputs/* boolInput */.Hm)("dry-run", false),
                revisionsSchema: (0,inputs/* input */.hF)("revisions-schema"),
                lockTimeout: (0,inputs/* input */.hF)("lock-timeout"),
            }, target.env, vocabulary/* inputName */.yu),
        }));
        const overrides = (0,inputs/* repoOverridesFromInputs */.ng)(cwd, backups);
        const repoOf = (dir, env) => {
            const config = (0,src/* layerRepoConfig */.GA0)(env, { ...overrides, dir });
            secrets.add(config.cloudToken);
            (0,inputs/* checkRepoNamed */.Kg)(config);
            return { config, repo: (0,src/* openRepo */.B8X)(config) };
        };
        // The grant (and its cache) is in play when a directory is read from the atlas:// registry.
        let token;
        for (const t of targets) {
            if (!(0,src/* isRegistryUrl */.bs2)(t.dir))
                continue;
            const { config, repo } = repoOf(t.dir, t.env);
            if (repo.replicas[0]?.kind === "cloud" && config.cloudToken)
                token ??= config.cloudToken;
        }
        const dir = (0,grant_cache/* grantDir */.qo)();
        if (token)
            await (0,grant_cache/* restoreGrantCache */.rF)(token, dir);
        grants = (0,grant_cache/* grantStore */.OF)(dir);
        const timeoutMs = (0,inputs/* durationInput */.Ts)("timeout");
        const load = (0,src/* dirLoader */.Tah)({
            cwd,
            repoOf: (d, env) => repoOf(d, env).repo,
            pull: {
                grants,
                secrets: secrets.list,
                ...(timeoutMs ? { timeoutMs } : {}),
                onAttempt: (a) => a.outcome === "ok"
                    ? runner/* info */.pq((0,src/* attemptLogLine */.EUT)(a, vocabulary/* ACTIONS_VOCABULARY */.b9))
                    : runner/* warning */.$e((0,src/* attemptLogLine */.EUT)(a, vocabulary/* ACTIONS_VOCABULARY */.b9), { title: (0,src/* attemptTitle */.Afx)(a) }),
            },
            onRead: (d, repo) => runner/* info */.pq((0,src/* readingLine */.BeR)(d, repo.replicas.length)),
        });
        const settings = (0,src/* fleetSettingsOf */.l98)({
            parallelism: (0,inputs/* input */.hF)("parallelism"),
            shard: (0,inputs/* input */.hF)("shard"),
            canary: (0,inputs/* input */.hF)("canary"),
            maxFailures: (0,inputs/* input */.hF)("max-failures"),
        }, vocabulary/* inputName */.yu);
        // Targets run side by side, so log groups would interleave: each line names its target instead.
        const prefix = (label) => (targets.length > 1 && label ? `${label}: ` : "");
        const fleet = await (0,src/* applyFleet */["do"])(prepared, {
            ...settings,
            load: async (target) => {
                try {
                    return await load(target);
                }
                catch (err) {
                    if (err instanceof src/* PullError */.YX3 && err.grantChanged)
                        grantChanged = true;
                    throw err;
                }
            },
            onStart: (target) => runner/* info */.pq((0,src/* applyStartLine */.tbn)(target)),
            onFile: (target, f) => runner/* info */.pq(`${prefix(target.label)}${(0,src/* appliedFileLine */.SvU)(f)}`),
            onDone: (run) => {
                const line = (0,src/* applyStatusText */.OVZ)(run, vocabulary/* ACTIONS_VOCABULARY */.b9);
                // One annotation per failed target when there are several; setFailed below names the first.
                if (!run.result.error)
                    runner/* info */.pq(line);
                else if (prepared.length > 1)
                    runner/* error */.z3(line, { title: (0,src/* applyRunTitle */.QoK)(run) });
            },
        });
        const runs = fleet.runs;
        if (fleet.shard)
            runner/* info */.pq(`Shard ${fleet.shard.index}/${fleet.shard.count}: ${runs.length} of ${fleet.total} targets`);
        if (fleet.stopped)
            runner/* warning */.$e((0,src/* rolloutStoppedLine */.Llh)(fleet.stopped), { title: src/* ROLLOUT_STOPPED_TITLE */.d2c });
        grantChanged = grantChanged || grants.changed;
        setOutputs((0,src/* applyOutputs */.Xkb)(runs, { secrets: secrets.list }));
        // Best effort, as Atlas: a report that fails is a warning and a line in the summary, never a failure.
        const byKey = new Map(prepared.map((p) => [(0,src/* targetKey */.hDX)(p.target), p.target]));
        const deployed = runs
            .filter((r) => r.notStarted === undefined)
            .map((r) => ({ target: byKey.get(r.key), result: r.result, startedAt: r.startedAt }));
        const report = await (0,src/* reportDeployments */.zbs)(deployed, load, "GITHUB_ACTION");
        if (report?.error)
            runner/* warning */.$e((0,src/* deploymentLine */.COB)(report), { title: src/* DEPLOYMENT_TITLE */.HSg });
        else if (report)
            runner/* info */.pq((0,src/* deploymentLine */.COB)(report));
        const reportLine = report ? `\n${(0,src/* deploymentMarkdown */.ze1)(report, secrets.list)}\n` : "";
        const rollout = {
            total: fleet.total,
            ...(fleet.shard ? { shard: fleet.shard } : {}),
            ...(fleet.stopped ? { stopped: fleet.stopped } : {}),
        };
        await writeSummary((0,src/* applySummary */.HDC)(runs, { secrets: secrets.list, rollout, vocabulary: vocabulary/* ACTIONS_VOCABULARY */.b9 }) + reportLine);
        const failed = runs.filter((r) => r.result.error);
        const notStarted = runs.filter((r) => r.notStarted !== undefined).length;
        if (notStarted && !failed.length)
            fail(new Error(`${notStarted} of ${runs.length} targets not started`), secrets, APPLY_FAILED);
        if (failed.length) {
            const first = failed[0];
            const who = first.label ? `${first.label}: ` : "";
            fail((0,vocabulary/* inActionWords */.XP)(new Error(runs.length === 1
                ? first.result.error.message
                : `${failed.length} of ${runs.length} targets failed${notStarted ? ` (${notStarted} not started)` : ""}; first: ${who}${first.result.error.message}`)), secrets, APPLY_FAILED);
        }
    }
    catch (err) {
        const message = fail((0,vocabulary/* inActionWords */.XP)(err), secrets, APPLY_FAILED);
        runner/* setOutput */.uH("error", message); // as atlas-action does when the step stops before any run
        await writeSummary((0,src/* errorSummary */.N5m)("migrate-relay apply", message, secrets.list, vocabulary/* ACTIONS_VOCABULARY */.b9));
    }
    finally {
        // Whatever happened, post must know whether a grant file was written or deleted.
        (0,grant_cache/* recordGrantChange */.at)(grantChanged || (grants?.changed ?? false));
    }
}

;// CONCATENATED MODULE: ./actions/push/main.ts
// The push action: inputs -> core push -> outputs, log lines, job summary; the grant cache around it.





// `core`: the runner protocol, under @actions/core's names (common/runner.ts says why not that package).



/** The title of the annotation that fails the step. */
const PUSH_FAILED = "migrate-relay push failed";
async function main_main() {
    const secrets = runnerSecrets();
    let grantChanged = false;
    let grants;
    try {
        secrets.add((0,inputs/* input */.hF)("cloud-token"));
        const backups = (0,inputs/* listInput */.dt)("backups");
        secrets.addFrom((0,inputs/* input */.hF)("dev-url"), (0,inputs/* input */.hF)("repo-url"), ...backups);
        const cwd = (0,inputs/* workingDirectory */.p7)();
        const started = performance.now();
        const envs = await envsFromInputs(cwd);
        const env = envs?.[0];
        secrets.addEnv(env);
        if (env)
            runner/* info */.pq(`Loaded env "${env.name}" from ${configInput()}`);
        const source = (0,inputs/* input */.hF)("dir") || env?.migration.dir || src/* DEFAULT_DIR */.eJH;
        if ((0,src/* isRegistryUrl */.bs2)(source)) {
            throw (0,src/* inputError */.Xum)(`push reads a local directory: dir ${source} is a registry URL (use file://...)`);
        }
        const config = (0,src/* layerRepoConfig */.GA0)(env, (0,inputs/* repoOverridesFromInputs */.ng)(cwd, backups));
        secrets.add(config.cloudToken);
        (0,inputs/* checkRepoNamed */.Kg)(config);
        const repo = (0,src/* openRepo */.B8X)(config);
        const timeoutMs = (0,inputs/* durationInput */.Ts)("timeout") ?? src/* DEFAULT_PUSH_TIMEOUT_MS */.w3H;
        const tag = (0,inputs/* input */.hF)("tag") || process.env.GITHUB_SHA || src/* DEFAULT_TAG */.fLq;
        const latest = (0,inputs/* boolInput */.Hm)("latest", true);
        const force = (0,inputs/* boolInput */.Hm)("force", false);
        const read = performance.now();
        const migrations = await (0,src/* readDir */.CiP)(source, cwd);
        runner/* info */.pq(`Read ${(0,src/* redactUrl */.BOE)(source)}: ${migrations.files.length} files, last version ${migrations.files.at(-1)?.version ?? "(none)"} (${(0,src/* formatMs */._VG)(performance.now() - read)})`);
        let replay;
        const devUrl = (0,inputs/* input */.hF)("dev-url") || env?.dev;
        if (devUrl) {
            secrets.addFrom(devUrl);
            replay = await runner/* group */.Os("Replaying on a scratch database", () => (0,src/* replayDir */.NwG)(devUrl, migrations));
            runner/* info */.pq((0,src/* replayLine */.wxD)(replay));
        }
        // The registry (and so the grant) is in play only when the primary is atlas:// with a token. The
        // cache is restored once the directory is known good: a bad one fails before any cache call.
        const token = repo.replicas[0]?.kind === "cloud" ? config.cloudToken : undefined;
        const dir = (0,grant_cache/* grantDir */.qo)();
        if (token)
            await (0,grant_cache/* restoreGrantCache */.rF)(token, dir);
        grants = (0,grant_cache/* grantStore */.OF)(dir);
        // The target lines in one log group; a failed target is also an annotation with a title.
        const context = (0,src/* runContextFromEnv */.wXc)(process.env, (0,inputs/* input */.hF)("dir") || source);
        runner/* startGroup */.Oh((0,src/* pushGroupTitle */.aPY)(repo.slug, tag, repo.replicas.length, timeoutMs));
        const result = await (0,src/* push */.VCO)(migrations, repo.replicas, {
            repo: repo.slug,
            tag,
            latest,
            force,
            timeoutMs,
            grants,
            secrets: secrets.list,
            source: {
                ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
                ...(process.env.GITHUB_REF ? { ref: process.env.GITHUB_REF } : {}),
                ...(process.env.GITHUB_RUN_ID ? { run: process.env.GITHUB_RUN_ID } : {}),
            },
            ...(context ? { context } : {}),
            onTarget: (t) => t.ok
                ? runner/* info */.pq((0,src/* pushTargetLine */.wCK)(t, vocabulary/* ACTIONS_VOCABULARY */.b9))
                : runner/* warning */.$e((0,src/* pushTargetLine */.wCK)(t, vocabulary/* ACTIONS_VOCABULARY */.b9), { title: (0,src/* pushTargetTitle */.e19)(t) }),
        }).finally(() => runner/* endGroup */.N4());
        grantChanged = result.grantChanged || grants.changed;
        setOutputs((0,src/* pushOutputs */.$7v)(result, { secrets: secrets.list }));
        await writeSummary((0,src/* pushSummary */.tf)(result, {
            ...(replay ? { replay } : {}),
            secrets: secrets.list,
            vocabulary: vocabulary/* ACTIONS_VOCABULARY */.b9,
        }));
        const status = (0,src/* pushStatusText */.Ifz)(result);
        if (!result.ok) {
            fail((0,vocabulary/* inActionWords */.XP)(new Error(status)), secrets, PUSH_FAILED);
            return;
        }
        runner/* info */.pq(`${status} in ${(0,src/* formatMs */._VG)(performance.now() - started)}`);
    }
    catch (err) {
        const message = fail((0,vocabulary/* inActionWords */.XP)(err), secrets, PUSH_FAILED);
        await writeSummary((0,src/* errorSummary */.N5m)("migrate-relay push", message, secrets.list, vocabulary/* ACTIONS_VOCABULARY */.b9));
    }
    finally {
        // Whatever happened, post must know whether a grant file was written or deleted.
        (0,grant_cache/* recordGrantChange */.at)(grantChanged || (grants?.changed ?? false));
    }
}

;// CONCATENATED MODULE: ./scripts/actions-entry.ts
// The actions' main steps, as one chunk of the bundle that only a runner step loads. The post steps
// are chunks of their own (scripts/bundle-entry.ts).




/***/ })

};
