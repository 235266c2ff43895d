// How a step ends: its outputs, its job summary, and a failure as one message (no stack).

import { messageOf, type Secrets } from "@migrate-relay/core";
import * as core from "./runner";

/** Sets each output (GITHUB_OUTPUT). */
export function setOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

/** Fails the step with the error's message under `title`; the stack only with ACTIONS_STEP_DEBUG. */
export function fail(err: unknown, secrets: Secrets, title: string): string {
  const message = secrets.redact(messageOf(err));
  core.setFailed(message, { title });
  if (core.isDebug() && err instanceof Error && err.stack) {
    core.debug(secrets.redact(err.stack));
  }
  return message;
}

/** A job summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info("No job summary: GITHUB_STEP_SUMMARY is not set (not running on a GitHub runner?)");
    return;
  }
  try {
    await core.appendSummary(markdown);
  } catch (err) {
    core.warning(`job summary not written: ${messageOf(err)}`);
  }
}
