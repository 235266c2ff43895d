import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    {
      // The workflow parser ships source maps without their sources; vite would warn for each file.
      name: "workflow-parser-without-maps",
      enforce: "pre",
      load(id) {
        if (!id.includes("@actions/workflow-parser/") || !id.endsWith(".js")) return null;
        return readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
      },
    },
  ],
  test: {
    include: ["packages/*/src/**/*.test.ts", "actions/**/*.test.ts", "test/**/*.test.ts"],
    // One PostgreSQL cluster and one S3 server for the whole run; tests get their own database/bucket.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // It imports its JSON schemas without `with { type: "json" }`, which Node refuses; vite's loader takes them.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});
