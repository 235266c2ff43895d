// The actions' words in core's hints: settings are inputs, and the action caches the grant itself.
import { type SettingName, speak, type Vocabulary } from "@migrate-relay/core";

export const inputName: SettingName = (name) => `input "${name}"`;

export const ACTIONS_VOCABULARY: Vocabulary = {
  cloudToken: `${inputName("cloud-token")} or ATLAS_TOKEN`,
  dirName: inputName("dir-name"),
  keepGrants: `the action caches ~/.migrate-relay/grants between runs with the GitHub cache, per token; ${inputName("grant-ttl")} sets how long a grant lasts`,
  setting: inputName,
};

/** An error whose message names core's hints in the actions' words, before fail() reports it. */
export function inActionWords(err: unknown): unknown {
  if (err instanceof Error) err.message = speak(err.message, ACTIONS_VOCABULARY);
  return err;
}
