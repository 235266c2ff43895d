// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call. The actions are
// loaded on demand, so the CLI does not pay for @actions/* and the Azure SDK at start-up.
export { runCli } from "@migrate-relay/cli";

const actions = () => import("./actions-entry");
export const pushMain = async () => (await actions()).pushMain();
export const pushPost = async () => (await actions()).pushPost();
export const applyMain = async () => (await actions()).applyMain();
export const applyPost = async () => (await actions()).applyPost();
