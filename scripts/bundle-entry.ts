// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call. The actions are
// loaded on demand, so the CLI does not pay for @actions/* and the Azure SDK at start-up.
export { runCli } from "@migrate-relay/cli";

export const pushMain = async () => (await import("../actions/push/main")).main();
export const pushPost = async () => (await import("../actions/push/post")).post();
export const applyMain = async () => (await import("../actions/apply/main")).main();
export const applyPost = async () => (await import("../actions/apply/post")).post();
