// Masking: every secret of the run is registered with the runner (`::add-mask::`) the moment it is known.

import { envSecrets, Secrets } from "@migrate-relay/core";
import * as core from "./runner";

/** The run's secrets, each masked in the runner's log (core.setSecret) as it is added. */
export function runnerSecrets(): Secrets {
  return new Secrets((secret) => core.setSecret(secret)).add(...envSecrets());
}
