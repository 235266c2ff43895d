// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call. dist/index.js
// holds nothing but this router and the chunk loader; each front end is a chunk loaded on demand, so
// a post step with nothing to save loads no more than its own few lines (docs/architecture.md,
// "Start-up"). The chunk names (webpackChunkName) become the file names in dist/chunks/.
export const runCli = async (argv: string[]): Promise<number> =>
  (await import(/* webpackChunkName: "cli" */ "@migrate-relay/cli")).runCli(argv);

const mains = () => import(/* webpackChunkName: "actions-main" */ "./actions-entry");
export const pushMain = async (): Promise<void> => (await mains()).pushMain();
export const applyMain = async (): Promise<void> => (await mains()).applyMain();

export const pushPost = async (): Promise<void> =>
  (await import(/* webpackChunkName: "push-post" */ "../actions/push/post")).post();
export const applyPost = async (): Promise<void> =>
  (await import(/* webpackChunkName: "apply-post" */ "../actions/apply/post")).post();
