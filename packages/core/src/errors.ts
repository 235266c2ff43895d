// Errors are values with a kind, so the relay decides fallback eligibility and the CLI its exit code
// without parsing messages.
export type ErrorKind =
  | "config"
  | "input"
  | "unreachable"
  | "unauthorized"
  | "not-found"
  | "integrity"
  | "conflict"
  | "migration";

export class RelayError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RelayError";
  }
}

export const configError = (message: string) => new RelayError("config", message);
export const inputError = (message: string) => new RelayError("input", message);

export function isRelayError(err: unknown, kind?: ErrorKind): err is RelayError {
  return err instanceof RelayError && (kind === undefined || err.kind === kind);
}

/** The message of anything thrown, for logs and results. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
