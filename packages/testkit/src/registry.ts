import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback";
import { type RegistryState, RegistryStore } from "./registry-store";

export type { RegistryState } from "./registry-store";

/**
 * What the emulator does to the next requests instead of (or before) answering normally:
 * - `"refuse"`: stops listening and drops open connections (clients get ECONNREFUSED/ECONNRESET);
 * - `"blackhole"`: accepts the request and never answers;
 * - a status (401, 403, 429, 500, 502, 503) or `{ status, body?, headers? }`: answers that instead;
 * - `{ slowMs }`: waits, then answers normally;
 * - `"corrupt"`: dirState answers with one byte of the archive flipped (in its first file's data);
 * - `"truncate"`: dirState answers with the first half of the archive;
 * - `"none"`: back to normal.
 */
export type RegistryFault =
  | "none"
  | "refuse"
  | "blackhole"
  | "corrupt"
  | "truncate"
  | 401
  | 403
  | 429
  | 500
  | 502
  | 503
  | { status: number; body?: string; headers?: Record<string, string> }
  | { slowMs: number };

export interface RegistryOptions {
  /** The bearer token it accepts; random when not given. */
  token?: string;
  /** The organization in push URLs: `https://<org>.atlasgo.cloud/dirs/<id>/tags/<tag>`. */
  org?: string;
  /** Keep states in this directory too, so a later emulator (another process) sees them. */
  directory?: string;
  /** Listen on this port (default: any free one). */
  port?: number;
}

/** One request as the emulator saw it (for asserting retries and what was sent). */
export interface RegistryRequest {
  operation?: RegistryOperation | string;
  slug?: string;
  tag?: string;
  version?: string;
  /**
   * The `input` variable as sent, with the archives (`dir`, `add`) replaced by the `sha256:<hex>` of
   * their decoded bytes, so tests can compare them with a push's digest.
   */
  input?: Record<string, unknown>;
  /** The HTTP status answered, or "blackhole" for a request left hanging. */
  status: number | "blackhole";
  fault?: string;
}

export type RegistryOperation =
  | "dirState"
  | "pushDir"
  | "diffSyncDir"
  | "ReportMigration"
  | "ReportMigrationSet";

/** A deployment report the emulator stored (`reportMigration` or `reportMigrationSet`). */
export interface StoredReport {
  operation: "reportMigration" | "reportMigrationSet";
  input: Record<string, unknown>;
  url: string;
}

export interface RegistryEmulator {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:PORT/query` (what `cloud-url` takes). */
  url: string;
  token: string;
  port: number;
  /** Applies a fault to every request from now on, or to the next `times` requests only. */
  setFault(fault: RegistryFault, options?: { times?: number }): Promise<void>;
  readonly fault: RegistryFault;
  /** Every push for a slug, oldest first. */
  states(slug: string): RegistryState[];
  /** What dirState would answer for a tag (or `latest`) or a migration version. */
  find(slug: string, by?: { tag?: string; version?: string }): RegistryState | undefined;
  /** Stores a state without going through HTTP (test set-up); moves `latest` unless `latest: false`. */
  seed(input: {
    slug: string;
    tag?: string;
    latest?: boolean;
    driver?: string;
    content: Uint8Array;
  }): Promise<RegistryState>;
  /** Requests seen so far, oldest first. */
  readonly requests: RegistryRequest[];
  /** Deployment reports received, oldest first. */
  readonly reports: StoredReport[];
  stop(): Promise<void>;
}

interface GraphQLError {
  message: string;
  path?: string[];
  extensions?: { code: string };
}

// Not-found answer: gqlgen's shape (HTTP 200, data null, one error with a code). The real service's
// exact wording could not be checked from here; clients should match on extensions.code.
const notFound = (field: string): GraphQLError => ({
  message: "not found",
  path: [field],
  extensions: { code: "NOT_FOUND" },
});

const STATUS_BODIES: Record<number, { body: string; headers?: Record<string, string> }> = {
  401: { body: errorsBody("unauthorized", "UNAUTHENTICATED") },
  403: { body: errorsBody("forbidden", "FORBIDDEN") },
  429: { body: errorsBody("too many requests", "RATE_LIMITED"), headers: { "retry-after": "1" } },
  // A load balancer answers 5xx in plain text, not GraphQL: clients must cope with both.
  500: { body: "internal server error" },
  502: { body: "bad gateway" },
  503: { body: "service unavailable" },
};

function errorsBody(message: string, code: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

/** The input fields each operation accepts (Atlas's input types); any other is a validation error. */
const INPUT_FIELDS: Record<RegistryOperation, string[] | undefined> = {
  // ariga/atlas cmd/atlas/internal/cloudapi/client.go DirInput.
  dirState: ["slug", "name", "tag"],
  // ariga/atlas atlasexec/atlas_migrate_test.go TestAtlasMigrate_Push.
  pushDir: ["slug", "tag", "driver", "dir"],
  diffSyncDir: ["slug", "driver", "dir", "add", "delete", "context"],
  // Report inputs are checked by shape in client.go only; any field is taken.
  ReportMigration: undefined,
  ReportMigrationSet: undefined,
};

/**
 * A TEST DOUBLE of the Atlas Cloud registry (an external service we cannot reach from here): an HTTP
 * server implementing the GraphQL operations the Atlas CLI uses (docs/architecture.md, "The registry"), matched by operation
 * name in the query text, over an in-memory (optionally on-disk) store, with Atlas Cloud's semantics:
 * - `dirState` with `{slug, name?, tag?}`: the tag's archive (base64), no tag: what `latest` points at;
 * - `pushDir` with `{slug, tag, driver, dir}`: stores the tag; does NOT move `latest`;
 * - `diffSyncDir` with `{slug, driver, dir, add, delete, context}`: moves `latest` to `dir`;
 * - `ReportMigration` / `ReportMigrationSet`: stores the deployment report, answers its URL.
 * An input field Atlas's input types lack (e.g. `version` on dirState) is a GraphQL validation error
 * (HTTP 422), as a GraphQL server answers. It checks `Authorization: Bearer <token>` (401 with a JSON
 * errors body otherwise), answers a missing slug/tag with HTTP 200 and a `NOT_FOUND` GraphQL error,
 * records every request with its input, and can be told to fail (see RegistryFault).
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryEmulator> {
  const token = options.token ?? `atlas_test_${randomBytes(12).toString("hex")}`;
  const org = options.org ?? "testkit";
  const store = await RegistryStore.open(options.directory);
  const requests: RegistryRequest[] = [];
  const reports: StoredReport[] = [];
  let fault: RegistryFault = "none";
  let faultBudget = Number.POSITIVE_INFINITY;
  let stopped = false;

  /** The fault for this request; a budgeted fault runs out and resets to none. */
  const takeFault = (): RegistryFault => {
    if (fault === "none" || fault === "refuse") return fault;
    const current = fault;
    faultBudget -= 1;
    if (faultBudget <= 0) {
      fault = "none";
      faultBudget = Number.POSITIVE_INFINITY;
    }
    return current;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: (error as Error).message }] });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const parsed = parseRequest(body);
    const entry: RegistryRequest = {
      ...parsed.summary,
      ...(parsed.recorded ? { input: parsed.recorded } : {}),
      status: 0,
    };
    requests.push(entry);
    const active = takeFault();
    if (active !== "none") entry.fault = describeFault(active);

    if (active === "blackhole") {
      entry.status = "blackhole";
      return; // The socket stays open until the client gives up or stop() destroys it.
    }
    if (typeof active === "object" && "slowMs" in active) await delay(active.slowMs);
    const statusFault =
      typeof active === "number"
        ? active
        : typeof active === "object" && "status" in active
          ? active
          : undefined;
    if (statusFault !== undefined) {
      const status = typeof statusFault === "number" ? statusFault : statusFault.status;
      const canned = STATUS_BODIES[status] ?? { body: `status ${status}` };
      const custom = typeof statusFault === "object" ? statusFault : undefined;
      entry.status = status;
      return send(res, status, custom?.body ?? canned.body, { ...canned.headers, ...custom?.headers });
    }

    const answer = await answerRequest(req, parsed, active);
    entry.status = answer.status;
    sendJson(res, answer.status, answer.body);
  }

  async function answerRequest(
    req: IncomingMessage,
    parsed: ParsedRequest,
    active: RegistryFault,
  ): Promise<{ status: number; body: unknown }> {
    const path = new URL(req.url ?? "/", "http://registry").pathname;
    if (path !== "/query") return { status: 404, body: { errors: [{ message: `no route ${path}` }] } };
    if (req.method !== "POST") return { status: 405, body: { errors: [{ message: "use POST" }] } };
    if (req.headers.authorization !== `Bearer ${token}`) {
      return { status: 401, body: JSON.parse(STATUS_BODIES[401]!.body) };
    }
    if (parsed.error) return { status: 400, body: { errors: [{ message: parsed.error }] } };
    const operation = parsed.summary.operation as RegistryOperation | undefined;
    if (!operation || !(operation in INPUT_FIELDS)) {
      return validationError(`unknown operation ${parsed.summary.operation ?? "(none)"}`);
    }
    const input = parsed.input;
    const allowed = INPUT_FIELDS[operation];
    if (allowed && typeof input === "object" && input !== null) {
      const unknown = Object.keys(input).find((k) => !allowed.includes(k));
      if (unknown)
        return validationError(`unknown field "${unknown}" in input`, ["variable", "input", unknown]);
    }

    if (operation === "ReportMigration" || operation === "ReportMigrationSet") {
      const field = operation === "ReportMigration" ? "reportMigration" : "reportMigrationSet";
      const url = `https://${org}.atlasgo.cloud/deployments/${reports.length + 1}`;
      reports.push({ operation: field, input: (input ?? {}) as Record<string, unknown>, url });
      return { status: 200, body: { data: { [field]: { url } } } };
    }
    const slug = stringField(input, "slug");
    if (!slug)
      return graphqlError({ message: "input.slug is required", extensions: { code: "BAD_REQUEST" } });

    if (operation === "dirState") {
      const tag = stringField(input, "tag");
      const state = store.find(slug, tag ? { tag } : {});
      if (!state) return { status: 200, body: { data: null, errors: [notFound("dirState")] } };
      const content = spoil(state.content, active);
      return { status: 200, body: { data: { dirState: { content: content.toString("base64") } } } };
    }
    const dir = stringField(input, "dir");
    if (!dir) return graphqlError({ message: "input.dir is required", extensions: { code: "BAD_REQUEST" } });
    const driver = stringField(input, "driver") ?? "POSTGRESQL";
    const content = Buffer.from(dir, "base64");
    if (operation === "pushDir") {
      const tag = stringField(input, "tag");
      if (!tag)
        return graphqlError({ message: "input.tag is required", extensions: { code: "BAD_REQUEST" } });
      await store.push({ slug, tag, latest: false, driver, content });
      const url = `https://${org}.atlasgo.cloud/dirs/${store.idOf(slug)}/tags/${tag}`;
      return { status: 200, body: { data: { pushDir: { url } } } };
    }
    // diffSyncDir: `dir` is the whole new state; `latest` moves to it.
    await store.push({ slug, latest: true, driver, content });
    const url = `https://${org}.atlasgo.cloud/dirs/${store.idOf(slug)}`;
    return { status: 200, body: { data: { diffSyncDir: { url } } } };
  }

  const loopback = await listenOnLoopback(server, options.port);
  const port = loopback.port;

  return {
    url: `http://127.0.0.1:${port}/query`,
    token,
    port,
    get fault() {
      return fault;
    },
    get requests() {
      return requests;
    },
    get reports() {
      return reports;
    },
    async setFault(next, { times } = {}) {
      if (stopped) throw new Error("registry emulator is stopped");
      if (next === "refuse" && times !== undefined)
        throw new Error("'refuse' cannot be limited to a number of requests");
      fault = next;
      faultBudget = times ?? Number.POSITIVE_INFINITY;
      if (next === "refuse") await loopback.refuse();
      else await loopback.resume();
    },
    states: (slug) => store.states(slug),
    find: (slug, by = {}) => store.find(slug, by),
    seed: (input) =>
      store.push({
        slug: input.slug,
        ...(input.tag ? { tag: input.tag } : {}),
        latest: input.latest ?? true,
        driver: input.driver ?? "POSTGRESQL",
        content: Buffer.from(input.content),
      }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await loopback.refuse();
    },
  };
}

interface ParsedRequest {
  summary: { operation?: string; slug?: string; tag?: string; version?: string };
  input: unknown;
  /** The input as recorded: archives replaced by their digests. */
  recorded?: Record<string, unknown>;
  error?: string;
}

function recorded(input: unknown): Record<string, unknown> | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of ["dir", "add"]) {
    const value = copy[key];
    if (typeof value === "string") {
      copy[key] = `sha256:${createHash("sha256").update(Buffer.from(value, "base64")).digest("hex")}`;
    }
  }
  return copy;
}

function validationError(message: string, path?: string[]): { status: number; body: unknown } {
  return {
    status: 422,
    body: {
      data: null,
      errors: [{ message, ...(path ? { path } : {}), extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }],
    },
  };
}

/** The operation (by name in the query text, or operationName) and its input variable. */
function parseRequest(body: string): ParsedRequest {
  let json: { query?: unknown; operationName?: unknown; variables?: { input?: unknown } };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    return { summary: {}, input: undefined, error: "request body is not JSON" };
  }
  const query = typeof json.query === "string" ? json.query : "";
  const named = /\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  const operation = typeof json.operationName === "string" ? json.operationName : named;
  const input = json.variables?.input;
  const summary: ParsedRequest["summary"] = {};
  if (operation) summary.operation = operation;
  for (const key of ["slug", "tag", "version"] as const) {
    const value = stringField(input, key);
    if (value) summary[key] = value;
  }
  const copy = recorded(input);
  return { summary, input, ...(copy ? { recorded: copy } : {}) };
}

function stringField(input: unknown, key: string): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const value = (input as Record<string, unknown>)[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function graphqlError(error: GraphQLError): { status: number; body: unknown } {
  return { status: 200, body: { data: null, errors: [error] } };
}

/** Content as a faulty registry would serve it. */
function spoil(content: Buffer, fault: RegistryFault): Buffer {
  if (fault === "truncate") return content.subarray(0, Math.floor(content.length / 2));
  if (fault !== "corrupt" || content.length === 0) return content;
  const copy = Buffer.from(content);
  // Offset 512 is the first byte of the first entry's data in a tar archive (atlas.sum, for Atlas);
  // flipping a byte in padding would go unnoticed by any reader.
  const at = copy.length > 512 ? 512 : Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

function describeFault(fault: RegistryFault): string {
  if (typeof fault === "object")
    return "slowMs" in fault ? `slow ${fault.slowMs}ms` : `status ${fault.status}`;
  return String(fault);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  const type = body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8";
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, JSON.stringify(body));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
