// The actions' words for core's hints: settings are inputs, and the action caches the grant itself.
import { speak, type Vocabulary } from "@migrate-relay/core";

export const ACTIONS_VOCABULARY: Vocabulary = {
  setting: (name) => `input "${name}"`,
  keepGrants:
    "the action caches ~/.migrate-relay/grants between runs of the same cloud-token; a self-hosted runner can keep MIGRATE_RELAY_HOME",
};

/** An error whose message names core's hints in the actions' words, before fail() reports it. */
export function inActionWords(err: unknown): unknown {
  if (err instanceof Error) err.message = speak(err.message, ACTIONS_VOCABULARY);
  return err;
}
