// The actions' main steps, as one chunk of the bundle that only a runner step loads. The post steps
// are chunks of their own (scripts/bundle-entry.ts).
export { main as applyMain } from "../actions/apply/main";
export { main as pushMain } from "../actions/push/main";
