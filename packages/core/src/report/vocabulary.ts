// The words a front end uses for its settings in hints. Core's messages name a setting by its CLI
// flag (`--cloud-token`); each front end prints them through its Vocabulary, so the actions say
// `input "cloud-token"` and the CLI keeps the flag. Core itself knows no front end's words.

import { KEEP_GRANTS_HINT } from "../grant/grant";
import { flagName, type SettingName } from "../settings";

export interface Vocabulary {
  /** A setting by its CLI flag's name: `--cloud-token` in the CLI, `input "cloud-token"` in an action. */
  setting: SettingName;
  /** How this front end keeps the license-grant directory between runs. */
  keepGrants: string;
}

export const CLI_VOCABULARY: Vocabulary = {
  setting: flagName,
  keepGrants:
    "keep ~/.migrate-relay/grants between runs, or point --grant-dir / MIGRATE_RELAY_HOME at a kept one",
};

// The flags core's hints name. Only these are rewritten, so `-- comment` in SQL or a server's text
// stays as it is.
const HINT_FLAGS = /(^|[\s(,])--(cloud-token|dir-name|url|env|var|config|grant-dir)\b/g;

/** `text` with core's hints in the front end's words. */
export function speak(text: string, vocabulary: Vocabulary = CLI_VOCABULARY): string {
  if (vocabulary === CLI_VOCABULARY) return text;
  return text
    .replace(`${KEEP_GRANTS_HINT}, or --grant-dir / MIGRATE_RELAY_HOME`, vocabulary.keepGrants)
    .replace(HINT_FLAGS, (_, before: string, name: string) => `${before}${vocabulary.setting(name)}`);
}
