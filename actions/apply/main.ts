// Placeholder: the apply action's glue (inputs, outputs, job summary, grant cache) is not built yet.
// It says so and fails rather than let a workflow believe it applied anything; the CLI works today.
export async function main(): Promise<void> {
  console.log(
    "::error::migrate-relay's apply action is not built yet; run the migrate-relay CLI (`node dist/cli.js apply`) in a step instead.",
  );
  process.exitCode = 1;
}
