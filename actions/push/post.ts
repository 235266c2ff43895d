// The push action's post step: saves the license-grant directory when main changed it.
import { saveGrantCache } from "../common/github";

export async function post(): Promise<void> {
  await saveGrantCache();
}
