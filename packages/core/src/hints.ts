// The words a front end's hints use. Core's messages say what to fix; the front end says where: a CLI
// flag, an action input. Core's defaults are the CLI's words; the actions pass their own (they name
// inputs, never flags).
export interface Hints {
  /** Where the registry token is given. */
  cloudToken: string;
  /** Where the repository name is given. */
  dirName: string;
  /** How the license-grant directory is kept from one run to the next. */
  keepGrants: string;
}

export const CLI_HINTS: Hints = {
  cloudToken: "--cloud-token or ATLAS_TOKEN",
  dirName: "--dir-name",
  keepGrants:
    "cache ~/.migrate-relay/grants between runs, or point --grant-dir / MIGRATE_RELAY_HOME at a kept folder",
};
