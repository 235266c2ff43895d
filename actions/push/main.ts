// Placeholder: the push action's glue (inputs, outputs, job summary, grant cache) is not built yet.
// It says so and fails rather than let a workflow believe it pushed anything; the CLI works today.
export async function main(): Promise<void> {
  console.log(
    "::error::migrate-relay's push action is not built yet; run the migrate-relay CLI (`node dist/cli.js push`) in a step instead.",
  );
  process.exitCode = 1;
}
