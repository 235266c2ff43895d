// The fault suite's run: one scratch folder, one S3 server, and the table printed at the end.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  S3RVER_ACCESS_KEY_ID,
  S3RVER_SECRET_ACCESS_KEY,
  startS3,
  TEST_S3_ENDPOINT_ENV,
} from "@migrate-relay/testkit";

export default async function setup(): Promise<() => Promise<void>> {
  const scratch = await mkdtemp(join(tmpdir(), "migrate-relay-faults-"));
  const table = join(scratch, "table.jsonl");
  process.env.TMPDIR = scratch;
  process.env.MIGRATE_RELAY_FAULTS_TABLE = table;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const s3 = await startS3();
  process.env[TEST_S3_ENDPOINT_ENV] = s3.endpoint;
  process.env.AWS_ACCESS_KEY_ID = S3RVER_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_SECRET_ACCESS_KEY;
  const started = Date.now();
  return async () => {
    await s3.stop();
    if (existsSync(table)) console.log(`\n${renderTable(readFileSync(table, "utf8"), Date.now() - started)}`);
    await rm(scratch, { recursive: true, force: true });
  };
}

interface Row {
  scenario: string;
  cases: number;
  held: number;
  lost: number;
  note: string;
}

function renderTable(jsonl: string, ms: number): string {
  const rows = jsonl
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row)
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
  const cells = rows.map((r) => [r.scenario, String(r.cases), String(r.held), String(r.lost), r.note]);
  const head = ["scenario", "cases", "held", "lost", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
  const total = rows.reduce((n, r) => n + r.cases, 0);
  return [
    line(head),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...cells.map(line),
    "",
    `${total} cases in ${(ms / 1000).toFixed(0)} s (FAULTS_SCALE=${process.env.FAULTS_SCALE ?? "1"})`,
  ].join("\n");
}
