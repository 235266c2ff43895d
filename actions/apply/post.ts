// The apply action's post step: saves the license-grant directory when main changed it (grant-state.ts
// decides that from the step state before anything heavy is loaded).
import { postGrantCache } from "../common/grant-state";

export async function post(): Promise<void> {
  await postGrantCache();
}
