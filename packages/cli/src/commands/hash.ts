import type { Command } from "../command";

// Placeholder until the dir module lands (issue 2).
export const hashCommand: Command = {
  name: "hash",
  summary: "Write atlas.sum for a migration directory, or check it with --check.",
  usage: "migrate-relay hash [--dir file://migrations] [--check]",
  example: "migrate-relay hash --dir file://migrations",
  flags: [
    { name: "dir", type: "string", description: "the migration directory URL", default: "file://migrations" },
    { name: "check", type: "bool", description: "validate atlas.sum instead of writing it" },
  ],
  async run(_args, io) {
    io.err("hash is not built yet");
    return 1;
  },
};
