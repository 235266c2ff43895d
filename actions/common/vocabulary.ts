// The actions' words for core's hints: settings are inputs, and the action caches the grant itself.
import { speak, type Vocabulary } from "@migrate-relay/core";
import { ACTION_HINTS, inputName } from "./inputs";

export const ACTIONS_VOCABULARY: Vocabulary = { ...ACTION_HINTS, setting: inputName };

/** An error whose message names core's hints in the actions' words, before fail() reports it. */
export function inActionWords(err: unknown): unknown {
  if (err instanceof Error) err.message = speak(err.message, ACTIONS_VOCABULARY);
  return err;
}
