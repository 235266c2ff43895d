// The actions' words for core's hints: settings are inputs, and the action caches the grant itself.
import type { Vocabulary } from "@migrate-relay/core";

export const ACTIONS_VOCABULARY: Vocabulary = {
  setting: (name) => `input "${name}"`,
  keepGrants:
    "the action caches ~/.migrate-relay/grants between runs of the same cloud-token; a self-hosted runner can keep MIGRATE_RELAY_HOME",
};
