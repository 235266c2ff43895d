// The deployment report's line in the apply job summary: a link when the registry gave one.
import type { DeploymentOutcome } from "../relay/deployment";
import { redact } from "../secrets";
import { escapeInline } from "./markdown";

export function deploymentMarkdown(outcome: DeploymentOutcome, secrets: readonly string[] = []): string {
  const clean = (text: string) => escapeInline(redact(text, secrets));
  if (outcome.error)
    return `Deployment report not sent to ${clean(outcome.registry)}: ${clean(outcome.error)}`;
  if (!outcome.url) return `Deployment reported to ${clean(outcome.registry)}.`;
  return `Deployment reported: [${clean(outcome.url)}](${encodeURI(outcome.url)})`;
}
