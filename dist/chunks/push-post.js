export const id = 14;
export const ids = [14];
export const modules = {

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

/***/ 60413:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _common_grant_state__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(93244);
// The push action's post step: saves the license-grant directory when main changed it (grant-state.ts
// decides that from the step state before anything heavy is loaded).

async function post() {
    await (0,_common_grant_state__WEBPACK_IMPORTED_MODULE_0__/* .postGrantCache */ .Xe)();
}


/***/ })

};
