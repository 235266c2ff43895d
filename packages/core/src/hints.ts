// A front end's words in core's hints. Core's messages say what to fix; the front end says where: a
// CLI flag or an action input. Modules that make a hint take `Hints` (default the CLI's); the rest of
// a message names settings by their flag, and `speak` says them as the front end does. Core itself
// knows no front end's words beyond the CLI's defaults.
import { flagName, type SettingName } from "./settings";

export interface Hints {
  /** Where the registry token is given. */
  cloudToken: string;
  /** Where the repository name is given. */
  dirName: string;
  /** How the license-grant directory is kept from one run to the next. */
  keepGrants: string;
}

/** Hints, plus how a setting is named: `--cloud-token` in the CLI, `input "cloud-token"` in an action. */
export interface Vocabulary extends Hints {
  setting: SettingName;
}

export const CLI_VOCABULARY: Vocabulary = {
  cloudToken: "--cloud-token or ATLAS_TOKEN",
  dirName: "--dir-name",
  keepGrants:
    "cache ~/.migrate-relay/grants between runs, or point --grant-dir / MIGRATE_RELAY_HOME at a kept folder",
  setting: flagName,
};
export const CLI_HINTS: Hints = CLI_VOCABULARY;

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
