// The one bundle's exports: what dist/<action>/main.js, post.js and dist/cli.js call.
export { runCli } from "@migrate-relay/cli";
export { main as applyMain } from "../actions/apply/main";
export { post as applyPost } from "../actions/apply/post";
export { main as pushMain } from "../actions/push/main";
export { post as pushPost } from "../actions/push/post";
