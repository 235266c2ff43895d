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
  AM: () => (/* reexport */ main_main),
  tU: () => (/* reexport */ post_post),
  c9: () => (/* reexport */ main),
  xr: () => (/* reexport */ post),
  ak: () => (/* reexport */ runCli)
});

;// CONCATENATED MODULE: ./packages/cli/src/index.ts
async function runCli(argv) {
    console.log("migrate-relay", argv.join(" "));
    return 0;
}

;// CONCATENATED MODULE: ./actions/push/main.ts
async function main() { }

;// CONCATENATED MODULE: ./actions/push/post.ts
async function post() { }

;// CONCATENATED MODULE: ./actions/apply/main.ts
async function main_main() { }

;// CONCATENATED MODULE: ./actions/apply/post.ts
async function post_post() { }

;// CONCATENATED MODULE: ./scripts/bundle-entry.ts
// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call.






var __webpack_exports__applyMain = __webpack_exports__.AM;
var __webpack_exports__applyPost = __webpack_exports__.tU;
var __webpack_exports__pushMain = __webpack_exports__.c9;
var __webpack_exports__pushPost = __webpack_exports__.xr;
var __webpack_exports__runCli = __webpack_exports__.ak;
export { __webpack_exports__applyMain as applyMain, __webpack_exports__applyPost as applyPost, __webpack_exports__pushMain as pushMain, __webpack_exports__pushPost as pushPost, __webpack_exports__runCli as runCli };
