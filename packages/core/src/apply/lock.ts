// One apply per database at a time: a session advisory lock held on a connection of its own.
import type pg from "pg";
import { RelayError } from "../errors";

/** 32-bit FNV-1 of `atlas_migrate_execute`, the key Atlas locks, so Atlas and migrate-relay exclude each other. */
export const APPLY_LOCK_NAME = "atlas_migrate_execute";
export const APPLY_LOCK_KEY = fnv1_32(APPLY_LOCK_NAME);

export function fnv1_32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h;
}

export interface HeldLock {
  /** Set when the lock connection broke: the lock is gone and the run must stop. */
  lost(): Error | undefined;
  release(): Promise<void>;
}

/**
 * Polls pg_try_advisory_lock with backoff (50 ms doubling to 1 s) until `timeoutMs`; then fails with
 * "lock is held by another apply". The caller owns `client` and ends it after release.
 */
export async function acquireApplyLock(
  client: pg.Client,
  timeoutMs: number,
  display: string,
): Promise<HeldLock> {
  const deadline = Date.now() + timeoutMs;
  let wait = 50;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
      APPLY_LOCK_KEY,
    ]);
    if (rows[0]?.ok) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new RelayError(
        "conflict",
        `lock is held by another apply: waited ${(timeoutMs / 1000).toFixed(1)} s for advisory lock ${APPLY_LOCK_KEY} (${APPLY_LOCK_NAME}) on ${display}; raise lock-timeout or retry when it finishes`,
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(wait, left)));
    wait = Math.min(wait * 2, 1000);
  }
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on("error", onError);
  client.on("end", () => {
    broken ??= new Error("the lock connection closed");
  });
  return {
    lost: () => broken,
    async release() {
      client.off("error", onError);
      if (broken) return; // the server already dropped a dead session's locks
      await client.query("SELECT pg_advisory_unlock($1)", [APPLY_LOCK_KEY]).catch(() => undefined);
    },
  };
}
