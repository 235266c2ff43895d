// The actions, as one chunk of the bundle that only a runner step loads.
export { main as applyMain } from "../actions/apply/main";
export { post as applyPost } from "../actions/apply/post";
export { main as pushMain } from "../actions/push/main";
export { post as pushPost } from "../actions/push/post";
