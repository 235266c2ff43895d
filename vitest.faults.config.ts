import { defineConfig } from "vitest/config";

// `npm run test:faults`: fuzzers and fault scenarios (test/faults/*.faults.ts). FAULTS_SCALE=10
// multiplies every case count (the nightly run); the default keeps CI within its budget.
export default defineConfig({
  test: {
    include: ["test/faults/**/*.faults.ts"],
    globalSetup: ["./test/faults/setup.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
