// A minimal HTTP(S) POST with separate connect and total timeouts and errors classified for the
// relay. node:http instead of fetch because fetch cannot bound the connect phase on its own.
import { RelayError } from "../errors";

export interface HttpTimeouts {
  /** Time allowed to open the TCP/TLS connection. */
  connectMs: number;
  /** Time allowed for the whole call, from request to the last byte of the answer. */
  totalMs: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

const MAX_ANSWER_BYTES = 512 * 1024 * 1024;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Network-level failures become `unreachable` (eligible for fallback); `label` names the target. */
function networkError(label: string, err: NodeJS.ErrnoException): RelayError {
  const code = err.code ?? "";
  const what =
    code === "ECONNREFUSED"
      ? "connection refused"
      : code === "ECONNRESET" || code === "EPIPE"
        ? "connection reset"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? "DNS lookup failed"
          : code === "EHOSTUNREACH" || code === "ENETUNREACH"
            ? "host unreachable"
            : `network error${code ? ` (${code})` : ""}`;
  return new RelayError("unreachable", `${label}: ${what}`);
}

export async function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeouts: HttpTimeouts,
  signal: AbortSignal,
  label: string,
): Promise<HttpAnswer> {
  // Loaded on the first call: node:http and node:https cost every process that loads core (an action
  // step, the CLI) tens of milliseconds of start-up, most of which never call the registry.
  const lib =
    url.protocol === "https:" ? (await import("node:https")).default : (await import("node:http")).default;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const payload = Buffer.from(body);
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: RelayError | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener("abort", onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer!);
    };
    const onAbort = () =>
      finish(new RelayError("unreachable", `${label}: ${abortReason(signal)}`, { cause: signal.reason }));

    const req = lib.request(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "content-length": payload.length },
    });
    timers.push(
      setTimeout(
        () => finish(new RelayError("unreachable", `${label}: timeout after ${seconds(timeouts.totalMs)}`)),
        timeouts.totalMs,
      ),
    );
    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(
        () =>
          finish(
            new RelayError("unreachable", `${label}: connect timeout after ${seconds(timeouts.connectMs)}`),
          ),
        timeouts.connectMs,
      );
      timers.push(t);
      socket.once("connect", () => clearTimeout(t));
    });
    req.on("error", (err) => finish(networkError(label, err)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          finish(new RelayError("integrity", `${label}: answer larger than ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => finish(networkError(label, err)));
      res.on("aborted", () =>
        finish(new RelayError("unreachable", `${label}: connection reset while reading`)),
      );
      res.on("end", () =>
        finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    req.end(payload);
  });
}

/** Why a signal fired, in words: the relay aborts with a TimeoutError when a target's time is up. */
export function abortReason(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string; message?: string } | undefined;
  if (reason?.name === "TimeoutError")
    return reason.message?.startsWith("timeout") ? reason.message : "timeout";
  return reason?.message ? `aborted (${reason.message})` : "aborted";
}

/** A signal that aborts after `ms` with a readable "timeout after N s" reason, or with `parent`. */
export function deadlineSignal(ms: number, parent?: AbortSignal): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const reason = new Error(`timeout after ${seconds(ms)}`);
    reason.name = "TimeoutError";
    controller.abort(reason);
  }, ms);
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParent);
    },
  };
}
