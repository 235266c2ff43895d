// The cloud registry (atlas://): the GraphQL operations the Atlas CLI uses (docs/architecture.md, "The registry").
import { archiveDir, digestOf, unarchiveDir } from "../dir/archive";
import { hashDir } from "../dir/sum";
import type { MigrationDir } from "../dir/types";
import { messageOf, RelayError } from "../errors";
import { CLI_HINTS, type Hints } from "../hints";
import { redactUrl } from "../secrets";
import type { DeploymentReport } from "./deployment";
import { type HttpAnswer, type HttpTimeouts, postJson } from "./http";
import { sumNames } from "./manifest";
import type { Fetched, LatestState, Published, PublishOptions, Replica, State, StateRef } from "./types";

export const DEFAULT_CLOUD_URL = "https://api.atlasgo.cloud/query";

// The operations and input shapes follow ariga/atlas: cmd/atlas/internal/cloudapi/client.go (dirState,
// reportMigration, reportMigrationSet), atlasexec/atlas_migrate_test.go TestAtlasMigrate_Push (what
// `migrate push` sends: diffSyncDir without a tag, pushDir with one) and ariga/atlas-action
// atlasaction/action.go MigratePush (with `latest`, a tagless push first, then the tagged one).
const DIR_STATE = "query dirState($input: DirStateInput!) { dirState(input: $input) { content } }";
const PUSH_DIR = "mutation pushDir($input: PushDirInput!) { pushDir(input: $input) { url } }";
const DIFF_SYNC_DIR =
  "mutation diffSyncDir($input: DiffSyncDirInput!) { diffSyncDir(input: $input) { url } }";
const REPORT_MIGRATION =
  "mutation ReportMigration($input: ReportMigrationInput!) { reportMigration(input: $input) { url } }";
const REPORT_MIGRATION_SET =
  "mutation ReportMigrationSet($input: ReportMigrationSetInput!) { reportMigrationSet(input: $input) { url } }";

export interface CloudOptions {
  slug: string;
  /** The GraphQL endpoint; replaces the whole default URL, as in Atlas. */
  endpoint: string;
  token: string;
  timeouts: HttpTimeouts;
  ref?: StateRef;
  /** The front end's words for where the token is given (default the CLI's). */
  hints?: Pick<Hints, "cloudToken">;
}

/** Cuts a server's answer for an error message: enough to act on, never a whole page. */
const cut = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
};

interface GraphQLErrors {
  text: string;
  /** `extensions.code` of each error (gqlgen's convention), upper-cased. */
  codes: string[];
}

function graphQLErrors(body: string): GraphQLErrors | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) return undefined;
    return {
      text: parsed.errors.map((e) => String(e?.message ?? "unknown error")).join("; "),
      codes: parsed.errors.map((e) => String(e?.extensions?.code ?? "").toUpperCase()),
    };
  } catch {
    return undefined;
  }
}

const NOT_FOUND_CODES = ["NOT_FOUND"];
const UNAUTHORIZED_CODES = ["UNAUTHENTICATED", "UNAUTHORIZED", "FORBIDDEN"];

export class CloudReplica implements Replica {
  readonly kind = "cloud" as const;
  readonly display: string;
  readonly ref?: StateRef;
  /** The endpoint as shown and as the grant's key (no credentials). */
  readonly registry: string;
  private readonly endpoint: URL;

  constructor(private readonly options: CloudOptions) {
    this.endpoint = new URL(options.endpoint);
    this.registry = redactUrl(options.endpoint);
    this.ref = options.ref;
    const query = !options.ref
      ? ""
      : "tag" in options.ref
        ? `?tag=${options.ref.tag}`
        : `?version=${options.ref.version}`;
    this.display = `atlas://${options.slug}${query}`;
  }

  /** The token, for the grant store only (it hashes it); never printed. */
  get token(): string {
    return this.options.token;
  }

  get slug(): string {
    return this.options.slug;
  }

  /**
   * `latest` first (a tagless `diffSyncDir` carrying the run context), then the tag (`pushDir`), as
   * atlas-action does; a push of the tag `latest` alone is only the former, `latest` off only the latter.
   */
  async publish(state: State, options: PublishOptions): Promise<Published> {
    const { signal, current } = options;
    const dir = Buffer.from(state.archive).toString("base64");
    const moveLatest = state.latest || state.tag === "latest";
    let link = "";
    let latestMoved: boolean | undefined;
    let sent = 0;
    if (moveLatest) {
      // Already there: nothing to send (Atlas would send it again; the answer would be the same).
      if (current?.digest !== state.digest) {
        sent += state.archive.length;
        const data = await this.call<{ diffSyncDir?: { url?: unknown } }>(
          DIFF_SYNC_DIR,
          {
            input: {
              slug: this.slug,
              driver: DRIVER,
              dir,
              ...diffOf(state, dir, current),
              ...contextOf(state),
            },
          },
          signal,
        );
        link = urlOf(data.diffSyncDir);
      }
      latestMoved = true;
    }
    if (state.tag !== "latest") {
      sent += state.archive.length;
      const data = await this.call<{ pushDir?: { url?: unknown } }>(
        PUSH_DIR,
        { input: { slug: this.slug, tag: state.tag, driver: DRIVER, dir } },
        signal,
      );
      link = urlOf(data.pushDir) || link;
    }
    return {
      bytes: sent,
      skipped: sent === 0,
      link,
      ...(latestMoved !== undefined ? { latestMoved } : {}),
    };
  }

  /**
   * A tag is read by name (no tag: `latest`). A version is not a field of Atlas's DirStateInput
   * (only slug, name, tag), so it is found in what the registry holds: `latest`, cut after that
   * version's file (atlas.sum is cumulative, so the cut is exactly the state that ended there).
   * pull checks that the last version of what comes back is the one asked for.
   */
  async fetch(ref: StateRef, signal: AbortSignal): Promise<Fetched> {
    const tag = "tag" in ref ? ref.tag : "latest";
    const archive = await this.dirState(tag, signal);
    if (!archive) throw new RelayError("not-found", `${this.display}: ${refText(ref)} not found`);
    if ("tag" in ref) return { archive };
    return { archive: cutAt(archive, ref.version, this.display) };
  }

  async readLatest(_known: string, signal: AbortSignal): Promise<LatestState | null> {
    const archive = await this.dirState("latest", signal);
    if (!archive) return null;
    let dir: MigrationDir;
    try {
      dir = unarchiveDir(archive);
    } catch (err) {
      throw new RelayError("integrity", `${this.display}: latest cannot be read: ${messageOf(err)}`);
    }
    return {
      digest: digestOf(archive),
      version: dir.files.at(-1)?.version ?? "",
      sum: dir.sum ? Buffer.from(dir.sum).toString("utf8") : "",
    };
  }

  /**
   * A deployment report (`reportMigration` for one target that ran, `reportMigrationSet` for several
   * or a failure before running); returns the report's URL ("" when the registry gives none).
   */
  async report(report: DeploymentReport, signal: AbortSignal): Promise<string> {
    if ("set" in report) {
      const data = await this.call<{ reportMigrationSet?: { url?: unknown } }>(
        REPORT_MIGRATION_SET,
        { input: report.set },
        signal,
      );
      return urlOf(data.reportMigrationSet);
    }
    const data = await this.call<{ reportMigration?: { url?: unknown } }>(
      REPORT_MIGRATION,
      { input: report.one },
      signal,
    );
    return urlOf(data.reportMigration);
  }

  /** The archive a tag names (`latest`: no tag, as Atlas sends it); null when there is none. */
  private async dirState(tag: string, signal: AbortSignal): Promise<Uint8Array | null> {
    // Only the fields of Atlas's DirStateInput; `latest` is the absence of a tag.
    const input = tag === "latest" ? { slug: this.slug } : { slug: this.slug, tag };
    let data: { dirState?: { content?: unknown } | null };
    try {
      data = await this.call(DIR_STATE, { input }, signal);
    } catch (err) {
      if (err instanceof RelayError && err.kind === "not-found") return null;
      throw err;
    }
    const content = data.dirState?.content;
    if (typeof content !== "string" || content === "") return null;
    // Buffer.from skips what is not base64; a damaged answer must say so, not fail later as a bad tar.
    if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
      throw new RelayError(
        "integrity",
        `${this.display}: the registry's archive of tag ${tag} is not valid base64`,
      );
    }
    return new Uint8Array(Buffer.from(content, "base64"));
  }

  private async call<T>(query: string, variables: unknown, signal: AbortSignal): Promise<T> {
    const label = `registry ${this.registry}`;
    const answer = await postJson(
      this.endpoint,
      JSON.stringify({ query, variables }),
      { authorization: `Bearer ${this.options.token}`, accept: "application/json" },
      this.options.timeouts,
      signal,
      label,
    );
    return interpret<T>(answer, label, this.options.hints);
  }
}

/**
 * Answer classes (docs/relay.md has the table and the reasons). As Atlas's client.go \`post\`: HTTP
 * 401 is "unauthorized"; another non-200 carries GraphQL errors or is a bare status and body; a 200
 * may carry GraphQL errors. Only the registry saying the token is refused (401, or an error that says
 * unauthorized/forbidden) fails closed; a page from a proxy, 5xx, 429 and any other GraphQL error
 * mean the registry did not serve this call, so the next replica may ("unreachable").
 */
export function interpret<T>(
  answer: HttpAnswer,
  label: string,
  hints: Pick<Hints, "cloudToken"> = CLI_HINTS,
): T {
  const { status, body } = answer;
  if (status === 401) {
    throw new RelayError(
      "unauthorized",
      `${label} refused the token (HTTP 401): check the cloud token (${hints.cloudToken})`,
    );
  }
  const errors = graphQLErrors(body);
  if (errors) {
    const { text, codes } = errors;
    const where = status === 200 ? label : `${label}: HTTP ${status}`;
    if (codes.some((c) => UNAUTHORIZED_CODES.includes(c)) || UNAUTHORIZED_TEXT.test(text)) {
      throw new RelayError(
        "unauthorized",
        `${label} refused the token (HTTP ${status}: ${cut(text)}): check the cloud token (${hints.cloudToken})`,
      );
    }
    if (codes.some((c) => NOT_FOUND_CODES.includes(c)) || NOT_FOUND_TEXT.test(text)) {
      throw new RelayError("not-found", `${where}: ${cut(text)}`);
    }
    throw new RelayError("unreachable", `${where}: ${cut(text)}`);
  }
  if (status !== 200) {
    throw new RelayError("unreachable", `${label}: HTTP ${status}: ${cut(body) || "(empty answer)"}`);
  }
  try {
    const parsed = JSON.parse(body) as { data?: T };
    if (parsed.data && typeof parsed.data === "object") return parsed.data;
  } catch {
    /* fall through */
  }
  throw new RelayError("integrity", `${label}: answer is not GraphQL JSON: ${cut(body)}`);
}

const DRIVER = "POSTGRESQL";
const UNAUTHORIZED_TEXT = /unauthori[sz]ed|unauthenticated|forbidden|permission denied/i;
const NOT_FOUND_TEXT = /not.?found|no such|does not exist/i;

const urlOf = (field: { url?: unknown } | undefined | null) =>
  typeof field?.url === "string" ? field.url : "";

const contextOf = (state: State) => (state.context ? { context: state.context } : {});

/**
 * diffSyncDir's `add` and `delete` against what `latest` held: `add` is an archive (base64) of the
 * files `latest` lacks with the new atlas.sum, `delete` the names it has that the new state lacks.
 * The open source shows only these fields' types; their meaning here is our reading (docs/relay.md).
 */
function diffOf(
  state: State,
  dirBase64: string,
  current: LatestState | null | undefined,
): { add: string; delete: string[] } {
  const before = new Set(current?.sum ? sumNames(current.sum) : []);
  // Nothing before: every file is added, and that archive is the state's own.
  if (before.size === 0) return { add: dirBase64, delete: [] };
  const after = new Set(sumNames(state.sum));
  const dir = unarchiveDir(state.archive);
  const added = dir.files.filter((f) => !before.has(f.name));
  return {
    add: Buffer.from(archiveDir({ files: added, sum: dir.sum })).toString("base64"),
    delete: [...before].filter((name) => !after.has(name)),
  };
}

/** The state of `archive` that ended at `version`: its files up to that one, with their atlas.sum. */
function cutAt(archive: Uint8Array, version: string, display: string): Uint8Array {
  let dir: MigrationDir;
  try {
    dir = unarchiveDir(archive);
  } catch (err) {
    throw new RelayError("integrity", `${display}: latest cannot be read: ${messageOf(err)}`);
  }
  const at = dir.files.findIndex((f) => f.version === version);
  if (at < 0) {
    const last = dir.files.at(-1)?.version ?? "none";
    throw new RelayError(
      "not-found",
      `${display}: version "${version}" not found (the registry's latest ends at ${last})`,
    );
  }
  if (at === dir.files.length - 1) return archive;
  const files = dir.files.slice(0, at + 1);
  return archiveDir({ files, sum: hashDir(files) });
}

export const refText = (ref: StateRef) => ("tag" in ref ? `tag "${ref.tag}"` : `version "${ref.version}"`);
