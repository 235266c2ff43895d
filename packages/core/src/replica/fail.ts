// Failures of the HTTP object stores (gs, azblob, oci) as RelayErrors of the kind fallback reads
// (docs/relay.md "Error classes"): the same classes S3 maps to in s3.ts.
import { RelayError } from "../errors";

const NETWORK: [RegExp, string][] = [
  [/ECONNREFUSED/, "connection refused"],
  [/ECONNRESET|EPIPE|socket hang up|other side closed/i, "connection reset"],
  [/ENOTFOUND|EAI_AGAIN/, "DNS lookup failed"],
  [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|Connect Timeout/i, "connect timeout"],
  [/EHOSTUNREACH|ENETUNREACH/, "host unreachable"],
];

/** A network failure in words, from an error's code, message or cause; undefined if not one. */
export function networkFailure(err: unknown): string | undefined {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const text = `${String(e.code ?? "")} ${String(e.message ?? "")}`;
    for (const [pattern, words] of NETWORK) if (pattern.test(text)) return words;
    e = e.cause as typeof e;
  }
  return undefined;
}

/**
 * One failed call to a store: `status` is the HTTP status when the store answered, `code` the
 * store's own error code (BlobNotFound, conditionNotMet, ...). Never includes credentials.
 */
export function storeError(
  where: string,
  failure: { status?: number; code?: string; err: unknown },
  signal: AbortSignal,
): RelayError {
  const { status, code, err } = failure;
  if (err instanceof RelayError) return err;
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    return new RelayError("unreachable", `${where}: ${reason?.message ?? "aborted"}`);
  }
  const named = code ? `${code}, HTTP ${status}` : `HTTP ${status}`;
  if (status === undefined) {
    const network = networkFailure(err);
    const message = (err as { message?: string }).message ?? String(err);
    return new RelayError("unreachable", `${where}: ${network ?? message}`);
  }
  if (status === 401 || status === 403)
    return new RelayError("unauthorized", `${where}: access denied (${named})`);
  if (status === 404) return new RelayError("not-found", `${where}: not found (${named})`);
  if (status === 409 || status === 412)
    return new RelayError("conflict", `${where}: changed concurrently (${named})`);
  if (status >= 500 || status === 429) return new RelayError("unreachable", `${where}: ${named}`);
  return new RelayError("input", `${where}: ${named}`);
}

/** Runs `work` until `signal` aborts; `cancel` then tears down whatever the SDK left open. */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>, cancel?: () => void): Promise<T> {
  // Whatever `work` ends with later is handled here: a rejection must never go unhandled.
  work.catch(() => {});
  if (signal.aborted) {
    cancel?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cancel?.();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
