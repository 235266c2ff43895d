export const id = 598;
export const ids = [598];
export const modules = {

/***/ 34598:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyMain: () => (/* reexport */ main),
  applyPost: () => (/* reexport */ post),
  pushMain: () => (/* reexport */ main_main),
  pushPost: () => (/* reexport */ post_post)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(33838);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 61 modules
var src = __webpack_require__(5569);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/cache/lib/cache.js + 35 modules
var cache = __webpack_require__(60142);
;// CONCATENATED MODULE: ./actions/common/github.ts
// What the push and apply actions share: reading inputs (explicit input > atlas.hcl > default),
// masking secrets, the license-grant cache (docs/architecture.md, "The grant") and failing with a message, not a stack.





const inputName = (name) => `input "${name}"`;
/** An input as given, trimmed; "" when not given. */
const input = (name) => core/* getInput */.V4(name).trim();
/** A boolean input; `fallback` when empty (the runner fills defaults, a bare `node main.js` does not). */
function boolInput(name, fallback) {
    if (input(name) === "")
        return fallback;
    try {
        return core/* getBooleanInput */.Vt(name);
    }
    catch {
        throw (0,src/* inputError */.Xu)(`${inputName(name)} must be true or false, got "${input(name)}"`);
    }
}
/** A Go duration input ("10s", "1m30s"); undefined when empty. */
function durationInput(name) {
    const text = input(name);
    if (text === "")
        return undefined;
    const ms = (0,src/* parseDuration */.E9)(text, inputName(name));
    if (!(ms > 0))
        throw (0,src/* inputError */.Xu)(`${inputName(name)} must be more than 0`);
    return ms;
}
/** One URL a line (blank lines and `#` comments skipped). */
const listInput = (name) => core/* getMultilineInput */.q3(name)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
/** The base of relative config and file:// paths. */
const workingDirectory = () => (0,external_node_path_.resolve)(process.cwd(), input("working-directory") || ".");
function varsInput() {
    const text = input("vars");
    if (text === "")
        return undefined;
    let vars;
    try {
        vars = JSON.parse(text);
    }
    catch (err) {
        throw (0,src/* inputError */.Xu)(`${inputName("vars")} is not JSON: ${(0,src/* messageOf */.bD)(err)}; expected an object, e.g. {"tenant":"a"}`);
    }
    if (vars === null || typeof vars !== "object" || Array.isArray(vars)) {
        throw (0,src/* inputError */.Xu)(`${inputName("vars")} must be a JSON object, e.g. {"tenant":"a"}`);
    }
    return vars;
}
/** The env instances `env` selects in `config` (one per for_each instance); undefined without `env`. */
async function envsFromInputs(cwd) {
    const env = input("env");
    if (env === "")
        return undefined;
    const vars = varsInput();
    return (0,src/* loadEnv */.y)({
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
    throw (0,src/* inputError */.Xu)(`no repository name: set ${inputName("dir-name")}, or ${inputName("env")} naming an env block of the config with migration.repo { name }`);
}
/** The run's secrets, each masked in the runner's log (core.setSecret) the moment it is known. */
function runnerSecrets() {
    return new src/* Secrets */.Sb((secret) => core/* setSecret */.Pq(secret)).add(...(0,src/* envSecrets */.vn)());
}
// --- the license-grant cache ----------------------------------------------------------------------
const STATE = { on: "grant-cache", dir: "grant-dir", key: "grant-key", changed: "grant-changed" };
/**
 * The grant directory: $MIGRATE_RELAY_HOME/grants when set (a self-hosted runner that keeps it), else
 * $RUNNER_TEMP/migrate-relay/grants (per job; the cache carries it between runs), else the default.
 */
function grantDir() {
    if (process.env.MIGRATE_RELAY_HOME)
        return (0,src/* defaultGrantDir */.f2)(process.env);
    if (process.env.RUNNER_TEMP)
        return (0,external_node_path_.join)(process.env.RUNNER_TEMP, "migrate-relay", "grants");
    return (0,src/* defaultGrantDir */.f2)(process.env);
}
function grantStore(dir) {
    const ttlMs = durationInput("grant-ttl");
    return new src/* GrantStore */.A0({ dir, ...(ttlMs ? { ttlMs } : {}) });
}
/** Set by restoreGrantCache: this step uses the grant cache (a registry token is in play). */
let cacheInUse = false;
const cacheKeyPrefix = (token) => `migrate-relay-grant-${process.platform}-${(0,src/* tokenSha256 */.zD)(token)}-`;
/**
 * main: restores the grant directory for this token (the newest entry of any earlier run) and
 * records in the state what post needs. A cache service error is a warning, never a failure.
 */
async function restoreGrantCache(token, dir) {
    const prefix = cacheKeyPrefix(token);
    const key = `${prefix}${process.env.GITHUB_RUN_ID ?? "0"}-${process.env.GITHUB_RUN_ATTEMPT ?? "1"}`;
    cacheInUse = true;
    core/* saveState */.LZ(STATE.on, "true");
    core/* saveState */.LZ(STATE.dir, dir);
    core/* saveState */.LZ(STATE.key, key);
    const started = performance.now();
    if (!cache/* isFeatureAvailable */.w3()) {
        core/* warning */.$e("license grant cache: the GitHub cache service is not available here; the grant will not be kept for later runs");
        return;
    }
    try {
        const hit = await cache/* restoreCache */.P3([dir], key, [prefix]);
        core/* info */.pq(hit
            ? `License grant cache restored (${hit}) in ${(0,src/* formatMs */._V)(performance.now() - started)}`
            : `License grant cache: none yet for this token (${(0,src/* formatMs */._V)(performance.now() - started)})`);
    }
    catch (err) {
        core/* warning */.$e(`license grant cache could not be restored: ${(0,src/* messageOf */.bD)(err)}`);
    }
}
/** main, at the end: whether post must save the grant directory (only when the cache is in use). */
function recordGrantChange(changed) {
    if (!cacheInUse)
        return;
    core/* saveState */.LZ(STATE.changed, changed ? "true" : "false");
}
/** post: saves the grant directory when main changed it. A cache service error is a warning. */
async function saveGrantCache() {
    if (core/* getState */.Gu(STATE.on) !== "true")
        return;
    const dir = core/* getState */.Gu(STATE.dir);
    const key = core/* getState */.Gu(STATE.key);
    if (core/* getState */.Gu(STATE.changed) !== "true" || !dir || !key) {
        core/* info */.pq("License grant unchanged: the cache is not saved again");
        return;
    }
    const started = performance.now();
    try {
        // A revoked grant leaves the directory empty; the cache still needs something to archive, so
        // that the empty state (not the revoked grant) is what the next run restores.
        await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
        if ((await (0,promises_.readdir)(dir)).length === 0)
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, ".keep"), "");
        if (!cache/* isFeatureAvailable */.w3()) {
            core/* warning */.$e("license grant cache: the GitHub cache service is not available here; the grant is not kept");
            return;
        }
        const id = await cache/* saveCache */.Io([dir], key);
        // The key is unique per run and attempt, so -1 means the cache service failed: say so.
        if (id === -1)
            core/* warning */.$e(`license grant cache was not saved (key ${key}); the next run may lack the grant`);
        else
            core/* info */.pq(`License grant cache saved (${key}) in ${(0,src/* formatMs */._V)(performance.now() - started)}`);
    }
    catch (err) {
        core/* warning */.$e(`license grant cache could not be saved: ${(0,src/* messageOf */.bD)(err)}`);
    }
}
/** Fails the step with the error's message; the stack only with ACTIONS_STEP_DEBUG. */
function fail(err, secrets) {
    const message = secrets.redact((0,src/* messageOf */.bD)(err));
    core/* setFailed */.C1(message);
    if (core/* isDebug */._o() && err instanceof Error && err.stack) {
        core/* debug */.Yz(secrets.redact(err.stack));
    }
    return message;
}
/** A job summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        core/* info */.pq("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?)");
        return;
    }
    try {
        await core/* summary */.z.addRaw(markdown).write();
    }
    catch (err) {
        core/* warning */.$e(`job summary not written: ${(0,src/* messageOf */.bD)(err)}`);
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

;// CONCATENATED MODULE: ./actions/apply/main.ts
// The apply action: inputs -> the rollout over the targets (core applyFleet: for_each envs give several,
// in parallel, sharded), the directory read once through the relay -> outputs (atlas-action's names),
// log lines, job summary; the grant cache around it.



async function main() {
    const secrets = runnerSecrets();
    let grantChanged = false;
    let grants;
    try {
        secrets.add(input("cloud-token"));
        const backups = listInput("backups");
        // `url` may name several databases, one a line (a fleet without an env).
        secrets.addFrom(...listInput("url"), input("repo-url"), ...backups);
        const cwd = workingDirectory();
        const envs = await envsFromInputs(cwd);
        for (const env of envs ?? [])
            secrets.addEnv(env);
        if (envs) {
            const names = envs.map((e) => (e.instance === undefined ? e.name : `${e.name}[${e.instance}]`));
            core/* info */.pq(`Loaded env "${input("env")}" from ${input("config") || "file://atlas.hcl"}: ${names.join(", ")}`);
        }
        const targets = (0,src/* applyTargetsOf */.Gv)(envs, { url: input("url"), dir: input("dir") }, inputName);
        for (const t of targets)
            secrets.addFrom(t.url, t.dir);
        // Every target's options are checked before any database is touched.
        const prepared = targets.map((target) => ({
            target,
            options: (0,src/* applyOptionsOf */.OL)(target.url, {
                txMode: input("tx-mode"),
                execOrder: input("exec-order"),
                baseline: input("baseline"),
                allowDirty: boolInput("allow-dirty", false),
                amount: input("amount"),
                toVersion: input("to-version"),
                dryRun: boolInput("dry-run", false),
                revisionsSchema: input("revisions-schema"),
                lockTimeout: input("lock-timeout"),
            }, target.env, inputName),
        }));
        const overrides = repoOverridesFromInputs(cwd, backups);
        const repoOf = (dir, env) => {
            const config = (0,src/* layerRepoConfig */.GA)(env, { ...overrides, dir });
            secrets.add(config.cloudToken);
            checkRepoNamed(config);
            return { config, repo: (0,src/* openRepo */.B8)(config) };
        };
        // The grant (and its cache) is in play when a directory is read from the atlas:// registry.
        let token;
        for (const t of targets) {
            if (!/^atlas:\/\//i.test(t.dir))
                continue;
            const { config, repo } = repoOf(t.dir, t.env);
            if (repo.replicas[0]?.kind === "cloud" && config.cloudToken)
                token ??= config.cloudToken;
        }
        const dir = grantDir();
        if (token)
            await restoreGrantCache(token, dir);
        grants = grantStore(dir);
        const timeoutMs = durationInput("timeout");
        const load = (0,src/* dirLoader */.T)({
            cwd,
            repoOf: (d, env) => repoOf(d, env).repo,
            pull: {
                grants,
                secrets: secrets.list,
                ...(timeoutMs ? { timeoutMs } : {}),
                onAttempt: (a) => a.outcome === "ok" ? core/* info */.pq((0,src/* attemptLogLine */.EU)(a)) : core/* warning */.$e((0,src/* attemptLogLine */.EU)(a)),
            },
            onRead: (d, repo) => core/* info */.pq(`Reading ${(0,src/* redactUrl */.BO)(d)}: the primary, then ${repo.replicas.length - 1} backup(s)`),
        });
        const settings = (0,src/* fleetSettingsOf */.l9)({
            parallelism: input("parallelism"),
            shard: input("shard"),
            canary: input("canary"),
            maxFailures: input("max-failures"),
        }, inputName);
        // Targets run side by side, so log groups would interleave: each line names its target instead.
        const prefix = (label) => (targets.length > 1 && label ? `${label}: ` : "");
        const fleet = await (0,src/* applyFleet */["do"])(prepared, {
            ...settings,
            load: async (target) => {
                try {
                    return await load(target);
                }
                catch (err) {
                    if (err instanceof src/* PullError */.YX && err.grantChanged)
                        grantChanged = true;
                    throw err;
                }
            },
            onStart: (target) => core/* info */.pq(`Apply ${(0,src/* redactUrl */.BO)(target.dir)} to ${(0,src/* redactUrl */.BO)(target.url)}${target.label ? ` (env ${target.label})` : ""}`),
            onFile: (target, f) => core/* info */.pq(`${prefix(target.label)}${(0,src/* appliedFileLine */.Sv)(f)}`),
            onDone: (run) => {
                const line = (0,src/* applyStatusText */.OV)(run);
                // One annotation per failed target when there are several; setFailed below names the first.
                if (!run.result.error)
                    core/* info */.pq(line);
                else if (prepared.length > 1)
                    core/* error */.z3(line);
            },
        });
        const runs = fleet.runs;
        if (fleet.shard)
            core/* info */.pq(`Shard ${fleet.shard.index}/${fleet.shard.count}: ${runs.length} of ${fleet.total} targets`);
        if (fleet.stopped)
            core/* warning */.$e(`Stopped starting targets: ${fleet.stopped}`);
        grantChanged = grantChanged || grants.changed;
        for (const [name, value] of Object.entries((0,src/* applyOutputs */.Xk)(runs, { secrets: secrets.list }))) {
            core/* setOutput */.uH(name, value);
        }
        // Best effort, as Atlas: a report that fails is a warning and a line in the summary, never a failure.
        const byKey = new Map(prepared.map((p) => [(0,src/* targetKey */.hD)(p.target), p.target]));
        const deployed = runs
            .filter((r) => r.notStarted === undefined)
            .map((r) => ({ target: byKey.get(r.key), result: r.result, startedAt: r.startedAt }));
        const report = await (0,src/* reportDeployments */.zb)(deployed, load, "GITHUB_ACTION");
        if (report)
            (report.error ? core/* warning */.$e : core/* info */.pq)((0,src/* deploymentLine */.CO)(report));
        const reportLine = report ? `\n${(0,src/* deploymentMarkdown */.ze)(report, secrets.list)}\n` : "";
        const rollout = {
            total: fleet.total,
            ...(fleet.shard ? { shard: fleet.shard } : {}),
            ...(fleet.stopped ? { stopped: fleet.stopped } : {}),
        };
        await writeSummary((0,src/* applySummary */.HD)(runs, { secrets: secrets.list, rollout }) + reportLine);
        const failed = runs.filter((r) => r.result.error);
        const notStarted = runs.filter((r) => r.notStarted !== undefined).length;
        if (notStarted && !failed.length)
            fail(new Error(`${notStarted} of ${runs.length} targets not started`), secrets);
        if (failed.length) {
            const first = failed[0];
            const who = first.label ? `${first.label}: ` : "";
            fail(new Error(runs.length === 1
                ? first.result.error.message
                : `${failed.length} of ${runs.length} targets failed${notStarted ? ` (${notStarted} not started)` : ""}; first: ${who}${first.result.error.message}`), secrets);
        }
    }
    catch (err) {
        const message = fail(err, secrets);
        core/* setOutput */.uH("error", message); // as atlas-action does when the step stops before any run
        await writeSummary((0,src/* errorSummary */.N5)("migrate-relay apply", message, secrets.list));
    }
    finally {
        // Whatever happened, post must know whether a grant file was written or deleted.
        recordGrantChange(grantChanged || (grants?.changed ?? false));
    }
}

;// CONCATENATED MODULE: ./actions/apply/post.ts
// The apply action's post step: saves the license-grant directory when main changed it.

async function post() {
    await saveGrantCache();
}

;// CONCATENATED MODULE: ./actions/push/main.ts
// The push action: inputs -> core push -> outputs, log lines, job summary; the grant cache around it.



async function main_main() {
    const secrets = runnerSecrets();
    let grantChanged = false;
    let grants;
    try {
        secrets.add(input("cloud-token"));
        const backups = listInput("backups");
        secrets.addFrom(input("dev-url"), input("repo-url"), ...backups);
        const cwd = workingDirectory();
        const started = performance.now();
        const envs = await envsFromInputs(cwd);
        const env = envs?.[0];
        secrets.addEnv(env);
        if (env)
            core/* info */.pq(`Loaded env "${env.name}" from ${input("config") || "file://atlas.hcl"}`);
        const source = input("dir") || env?.migration.dir || "file://migrations";
        if (/^atlas:\/\//i.test(source)) {
            throw (0,src/* inputError */.Xu)(`push reads a local directory: dir ${source} is a registry URL (use file://...)`);
        }
        const config = (0,src/* layerRepoConfig */.GA)(env, repoOverridesFromInputs(cwd, backups));
        secrets.add(config.cloudToken);
        checkRepoNamed(config);
        const repo = (0,src/* openRepo */.B8)(config);
        const timeoutMs = durationInput("timeout") ?? 60_000;
        const tag = input("tag") || process.env.GITHUB_SHA || "latest";
        const latest = boolInput("latest", true);
        const force = boolInput("force", false);
        // The registry (and so the grant) is in play only when the primary is atlas:// with a token.
        const token = repo.replicas[0]?.kind === "cloud" ? config.cloudToken : undefined;
        const dir = grantDir();
        if (token)
            await restoreGrantCache(token, dir);
        grants = grantStore(dir);
        const read = performance.now();
        const migrations = await (0,src/* readDir */.Ci)(source, cwd);
        core/* info */.pq(`Read ${(0,src/* redactUrl */.BO)(source)}: ${migrations.files.length} files, last version ${migrations.files.at(-1)?.version ?? "(none)"} (${(0,src/* formatMs */._V)(performance.now() - read)})`);
        let replay;
        const devUrl = input("dev-url") || env?.dev;
        if (devUrl) {
            secrets.addFrom(devUrl);
            replay = await (0,src/* replayDir */.Nw)(devUrl, migrations);
            core/* info */.pq(`Replayed ${replay.files} files (${replay.statements} statements) on a scratch database at ${replay.url} in ${(0,src/* formatMs */._V)(replay.ms)}`);
        }
        core/* info */.pq(`Pushing ${repo.slug}:${tag} to ${repo.replicas.length} targets (timeout ${(0,src/* formatMs */._V)(timeoutMs)} each)`);
        const context = (0,src/* runContextFromEnv */.wX)(process.env, input("dir") || source);
        const result = await (0,src/* push */.VC)(migrations, repo.replicas, {
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
            onTarget: (t) => (t.ok ? core/* info */.pq((0,src/* pushTargetLine */.wC)(t)) : core/* warning */.$e((0,src/* pushTargetLine */.wC)(t))),
        });
        grantChanged = result.grantChanged || grants.changed;
        for (const [name, value] of Object.entries((0,src/* pushOutputs */.$7)(result, { secrets: secrets.list }))) {
            core/* setOutput */.uH(name, value);
        }
        await writeSummary((0,src/* pushSummary */.tf)(result, { ...(replay ? { replay } : {}), secrets: secrets.list }));
        const status = (0,src/* pushStatusText */.If)(result);
        if (!result.ok) {
            fail(new Error(status), secrets);
            return;
        }
        core/* info */.pq(`${status} in ${(0,src/* formatMs */._V)(performance.now() - started)}`);
    }
    catch (err) {
        const message = fail(err, secrets);
        await writeSummary((0,src/* errorSummary */.N5)("migrate-relay push", message, secrets.list));
    }
    finally {
        // Whatever happened, post must know whether a grant file was written or deleted.
        recordGrantChange(grantChanged || (grants?.changed ?? false));
    }
}

;// CONCATENATED MODULE: ./actions/push/post.ts
// The push action's post step: saves the license-grant directory when main changed it.

async function post_post() {
    await saveGrantCache();
}

;// CONCATENATED MODULE: ./scripts/actions-entry.ts
// The actions, as one chunk of the bundle that only a runner step loads.






/***/ })

};
