import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "actions/**/*.test.ts", "test/**/*.test.ts"],
    // One PostgreSQL cluster and one S3 server for the whole run; tests get their own database/bucket.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
