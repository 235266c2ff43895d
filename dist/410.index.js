export const id = 410;
export const ids = [410];
export const modules = {

/***/ 8939:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hm: () => (/* binding */ boolInput),
/* harmony export */   Kg: () => (/* binding */ checkRepoNamed),
/* harmony export */   Ky: () => (/* binding */ saveGrantCache),
/* harmony export */   OF: () => (/* binding */ grantStore),
/* harmony export */   Sb: () => (/* binding */ Secrets),
/* harmony export */   Sy: () => (/* binding */ writeSummary),
/* harmony export */   Ts: () => (/* binding */ durationInput),
/* harmony export */   UN: () => (/* binding */ envsFromInputs),
/* harmony export */   at: () => (/* binding */ recordGrantChange),
/* harmony export */   dt: () => (/* binding */ listInput),
/* harmony export */   fJ: () => (/* binding */ fail),
/* harmony export */   hF: () => (/* binding */ input),
/* harmony export */   ng: () => (/* binding */ repoOverridesFromInputs),
/* harmony export */   p7: () => (/* binding */ workingDirectory),
/* harmony export */   qo: () => (/* binding */ grantDir),
/* harmony export */   rF: () => (/* binding */ restoreGrantCache),
/* harmony export */   yu: () => (/* binding */ inputName)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_cache__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1691);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3838);
/* harmony import */ var _migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(835);
// What the push and apply actions share: reading inputs (explicit input > atlas.hcl > default),
// masking secrets, the license-grant cache (DESIGN §6) and failing with a message, not a stack.





const inputName = (name) => `input "${name}"`;
/** An input as given, trimmed; "" when not given. */
const input = (name) => _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getInput */ .V4(name).trim();
/** A boolean input; `fallback` when empty (the runner fills defaults, a bare `node main.js` does not). */
function boolInput(name, fallback) {
    if (input(name) === "")
        return fallback;
    try {
        return _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getBooleanInput */ .Vt(name);
    }
    catch {
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(`${inputName(name)} must be true or false, got "${input(name)}"`);
    }
}
/** A Go duration input ("10s", "1m30s"); undefined when empty. */
function durationInput(name) {
    const text = input(name);
    if (text === "")
        return undefined;
    const ms = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .parseDuration */ .E9)(text, inputName(name));
    if (!(ms > 0))
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(`${inputName(name)} must be more than 0`);
    return ms;
}
/** One URL a line (blank lines and `#` comments skipped). */
const listInput = (name) => _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getMultilineInput */ .q3(name)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
/** The base of relative config and file:// paths. */
const workingDirectory = () => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(process.cwd(), input("working-directory") || ".");
function varsInput() {
    const text = input("vars");
    if (text === "")
        return undefined;
    let vars;
    try {
        vars = JSON.parse(text);
    }
    catch (err) {
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(`${inputName("vars")} is not JSON: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err)}; expected an object, e.g. {"tenant":"a"}`);
    }
    if (vars === null || typeof vars !== "object" || Array.isArray(vars)) {
        throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(`${inputName("vars")} must be a JSON object, e.g. {"tenant":"a"}`);
    }
    return vars;
}
/** The env instances `env` selects in `config` (one per for_each instance); undefined without `env`. */
async function envsFromInputs(cwd) {
    const env = input("env");
    if (env === "")
        return undefined;
    const vars = varsInput();
    return (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .loadEnv */ .y)({
        config: input("config") || "file://atlas.hcl",
        env,
        ...(vars ? { vars } : {}),
        cwd,
        getenv: (name) => process.env[name],
    });
}
/** The repository must be named somewhere; say where, in the action's words. */
function checkRepoNamed(config) {
    if (config.name || (config.dir && /^atlas:\/\//i.test(config.dir)))
        return;
    throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .inputError */ .Xu)(`no repository name: set ${inputName("dir-name")}, or ${inputName("env")} naming an env block of the config with migration.repo { name }`);
}
/** Masks every secret in the runner's log and returns them, for scrubbing results and summaries. */
class Secrets {
    list = [];
    add(...values) {
        for (const value of values) {
            if (!value || value.length < 4 || this.list.includes(value))
                continue;
            _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .setSecret */ .Pq(value);
            this.list.push(value);
        }
    }
    addUrls(...urls) {
        for (const url of urls)
            if (url)
                this.add(...(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .secretsOfUrl */ .mE)(url));
    }
    addEnv(env) {
        if (!env)
            return;
        this.add(env.cloud.token);
        this.addUrls(env.url, env.dev, env.migration.dir, env.migration.repo.url, ...env.migration.repo.backup);
    }
    static fromProcess() {
        const secrets = new Secrets();
        secrets.add(...(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .envSecrets */ .vn)());
        return secrets;
    }
}
// --- the license-grant cache ----------------------------------------------------------------------
const STATE = { on: "grant-cache", dir: "grant-dir", key: "grant-key", changed: "grant-changed" };
/**
 * The grant directory: $MIGRATE_RELAY_HOME/grants when set (a self-hosted runner that keeps it), else
 * $RUNNER_TEMP/migrate-relay/grants (per job; the cache carries it between runs), else the default.
 */
function grantDir() {
    if (process.env.MIGRATE_RELAY_HOME)
        return (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .defaultGrantDir */ .f2)(process.env);
    if (process.env.RUNNER_TEMP)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(process.env.RUNNER_TEMP, "migrate-relay", "grants");
    return (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .defaultGrantDir */ .f2)(process.env);
}
function grantStore(dir) {
    const ttlMs = durationInput("grant-ttl");
    return new _migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .GrantStore */ .A0({ dir, ...(ttlMs ? { ttlMs } : {}) });
}
/** Set by restoreGrantCache: this step uses the grant cache (a registry token is in play). */
let cacheInUse = false;
const cacheKeyPrefix = (token) => `migrate-relay-grant-${process.platform}-${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .tokenSha256 */ .zD)(token)}-`;
/**
 * main: restores the grant directory for this token (the newest entry of any earlier run) and
 * records in the state what post needs. A cache service error is a warning, never a failure.
 */
async function restoreGrantCache(token, dir) {
    const prefix = cacheKeyPrefix(token);
    const key = `${prefix}${process.env.GITHUB_RUN_ID ?? "0"}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
    cacheInUse = true;
    _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .saveState */ .LZ(STATE.on, "true");
    _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .saveState */ .LZ(STATE.dir, dir);
    _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .saveState */ .LZ(STATE.key, key);
    const started = performance.now();
    if (!_actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .isFeatureAvailable */ .w3()) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e("license grant cache: the GitHub cache service is not available here; the grant will not be kept for later runs");
        return;
    }
    try {
        const hit = await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .restoreCache */ .P3([dir], key, [prefix]);
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(hit
            ? `License grant cache restored (${hit}) in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .formatMs */ ._V)(performance.now() - started)}`
            : `License grant cache: none yet for this token (${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .formatMs */ ._V)(performance.now() - started)})`);
    }
    catch (err) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`license grant cache could not be restored: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err)}`);
    }
}
/** main, at the end: whether post must save the grant directory (only when the cache is in use). */
function recordGrantChange(changed) {
    if (!cacheInUse)
        return;
    _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .saveState */ .LZ(STATE.changed, changed ? "true" : "false");
}
/** post: saves the grant directory when main changed it. A cache service error is a warning. */
async function saveGrantCache() {
    if (_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getState */ .Gu(STATE.on) !== "true")
        return;
    const dir = _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getState */ .Gu(STATE.dir);
    const key = _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getState */ .Gu(STATE.key);
    if (_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .getState */ .Gu(STATE.changed) !== "true" || !dir || !key) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq("License grant unchanged: the cache is not saved again");
        return;
    }
    const started = performance.now();
    try {
        // A revoked grant leaves the directory empty; the cache still needs something to archive, so
        // that the empty state (not the revoked grant) is what the next run restores.
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.mkdir)(dir, { recursive: true, mode: 0o700 });
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir)).length === 0)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, ".keep"), "");
        if (!_actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .isFeatureAvailable */ .w3()) {
            _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e("license grant cache: the GitHub cache service is not available here; the grant is not kept");
            return;
        }
        const id = await _actions_cache__WEBPACK_IMPORTED_MODULE_2__/* .saveCache */ .Io([dir], key);
        // The key is unique per run and attempt, so -1 means the cache service failed: say so.
        if (id === -1)
            _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`license grant cache was not saved (key ${key}); the next run may lack the grant`);
        else
            _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq(`License grant cache saved (${key}) in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .formatMs */ ._V)(performance.now() - started)}`);
    }
    catch (err) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`license grant cache could not be saved: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err)}`);
    }
}
/** Fails the step with the error's message; the stack only with ACTIONS_STEP_DEBUG. */
function fail(err, secrets) {
    let message = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err);
    for (const s of secrets.list)
        message = message.split(s).join("***");
    _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .setFailed */ .C1(message);
    if (_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .isDebug */ ._o() && err instanceof Error && err.stack) {
        let stack = err.stack;
        for (const s of secrets.list)
            stack = stack.split(s).join("***");
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .debug */ .Yz(stack);
    }
    return message;
}
/** A job summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?)");
        return;
    }
    try {
        await _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .summary */ .z.addRaw(markdown).write();
    }
    catch (err) {
        _actions_core__WEBPACK_IMPORTED_MODULE_3__/* .warning */ .$e(`job summary not written: ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .bD)(err)}`);
    }
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
        connectTimeoutMs: durationInput("connect-timeout") ?? 3_000,
    };
}


/***/ }),

/***/ 410:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(835);
/* harmony import */ var _common_github__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8939);
// The push action: inputs -> core push -> outputs, log lines, job summary; the grant cache around it.



async function main() {
    const secrets = _common_github__WEBPACK_IMPORTED_MODULE_2__/* .Secrets */ .Sb.fromProcess();
    let grantChanged = false;
    let grants;
    try {
        secrets.add((0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("cloud-token"));
        const backups = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .listInput */ .dt)("backups");
        secrets.addUrls((0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("dev-url"), (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("repo-url"), ...backups);
        const cwd = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .workingDirectory */ .p7)();
        const started = performance.now();
        const envs = await (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .envsFromInputs */ .UN)(cwd);
        const env = envs?.[0];
        secrets.addEnv(env);
        if (env)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Loaded env "${env.name}" from ${(0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("config") || "file://atlas.hcl"}`);
        const source = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("dir") || env?.migration.dir || "file://migrations";
        if (/^atlas:\/\//i.test(source)) {
            throw (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .inputError */ .Xu)(`push reads a local directory: dir ${source} is a registry URL (use file://...)`);
        }
        const config = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .layerRepoConfig */ .GA)(env, (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .repoOverridesFromInputs */ .ng)(cwd, backups));
        secrets.add(config.cloudToken);
        (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .checkRepoNamed */ .Kg)(config);
        const repo = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .openRepo */ .B8)(config);
        const timeoutMs = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .durationInput */ .Ts)("timeout") ?? 60_000;
        const tag = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("tag") || process.env.GITHUB_SHA || "latest";
        const latest = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .boolInput */ .Hm)("latest", true);
        const force = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .boolInput */ .Hm)("force", false);
        // The registry (and so the grant) is in play only when the primary is atlas:// with a token.
        const token = repo.replicas[0]?.kind === "cloud" ? config.cloudToken : undefined;
        const dir = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .grantDir */ .qo)();
        if (token)
            await (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .restoreGrantCache */ .rF)(token, dir);
        grants = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .grantStore */ .OF)(dir);
        const read = performance.now();
        const migrations = await (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .readDir */ .Ci)(source, cwd);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Read ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(source)}: ${migrations.files.length} files, last version ${migrations.files.at(-1)?.version ?? "(none)"} (${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .formatMs */ ._V)(performance.now() - read)})`);
        let replay;
        const devUrl = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .input */ .hF)("dev-url") || env?.dev;
        if (devUrl) {
            secrets.addUrls(devUrl);
            replay = await (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .replayDir */ .Nw)(devUrl, migrations);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Replayed ${replay.files} files (${replay.statements} statements) on a scratch database at ${replay.url} in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .formatMs */ ._V)(replay.ms)}`);
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Pushing ${repo.slug}:${tag} to ${repo.replicas.length} targets (timeout ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .formatMs */ ._V)(timeoutMs)} each)`);
        const result = await (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .push */ .VC)(migrations, repo.replicas, {
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
            onTarget: (t) => (t.ok ? _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq((0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .pushTargetLine */ .wC)(t)) : _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .pushTargetLine */ .wC)(t))),
        });
        grantChanged = result.grantChanged || grants.changed;
        for (const [name, value] of Object.entries((0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .pushOutputs */ .$7)(result, { secrets: secrets.list }))) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(name, value);
        }
        await (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .writeSummary */ .Sy)((0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .pushSummary */ .tf)(result, { ...(replay ? { replay } : {}), secrets: secrets.list }));
        const status = (0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .pushStatusText */ .If)(result);
        if (!result.ok) {
            (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)(new Error(status), secrets);
            return;
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${status} in ${(0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .formatMs */ ._V)(performance.now() - started)}`);
    }
    catch (err) {
        const message = (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .fail */ .fJ)(err, secrets);
        await (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .writeSummary */ .Sy)((0,_migrate_relay_core__WEBPACK_IMPORTED_MODULE_1__/* .errorSummary */ .N5)("migrate-relay push", message, secrets.list));
    }
    finally {
        // Whatever happened, post must know whether a grant file was written or deleted.
        (0,_common_github__WEBPACK_IMPORTED_MODULE_2__/* .recordGrantChange */ .at)(grantChanged || (grants?.changed ?? false));
    }
}


/***/ })

};
