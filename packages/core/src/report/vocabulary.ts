// The words a front end uses for its settings in hints. Core's messages name a setting by its CLI
// flag (`--cloud-token`); each front end prints them through its Vocabulary, so the actions say
// `input "cloud-token"` and the CLI keeps the flag. Core itself knows no front end's words.

import { CLI_HINTS, type Hints } from "../hints";
import { flagName, type SettingName } from "../settings";

/** The front end's words: core's modules take its `Hints` where they make a message; the rest of a
 * message names settings by flag, and `speak` says them as the front end does. */
export interface Vocabulary extends Hints {
  /** A setting by its CLI flag's name: `--cloud-token` in the CLI, `input "cloud-token"` in an action. */
  setting: SettingName;
}

export const CLI_VOCABULARY: Vocabulary = { ...CLI_HINTS, setting: flagName };

// The flags core's hints name. Only these are rewritten, so `-- comment` in SQL or a server's text
// stays as it is.
const HINT_FLAGS = /(^|[\s(,])--(cloud-token|dir-name|url|env|var|config|grant-dir)\b/g;

/** `text` with core's hints in the front end's words. */
export function speak(text: string, vocabulary: Vocabulary = CLI_VOCABULARY): string {
  if (vocabulary === CLI_VOCABULARY) return text;
  return text.replace(
    HINT_FLAGS,
    (_, before: string, name: string) => `${before}${vocabulary.setting(name)}`,
  );
}
