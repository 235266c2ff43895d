// The cloud registry (atlas://): the GraphQL operations the Atlas CLI uses (DESIGN §5).
import { RelayError } from "../errors";
import { redactUrl } from "../secrets";
import { type HttpAnswer, type HttpTimeouts, postJson } from "./http";
import type { Fetched, Published, PublishOptions, Replica, State, StateRef } from "./types";

export const DEFAULT_CLOUD_URL = "https://api.atlasgo.cloud/query";

const DIR_STATE = "query dirState($input: DirStateInput!) { dirState(input: $input) { content } }";
const PUSH_DIR = "mutation pushDir($input: PushDirInput!) { pushDir(input: $input) { url } }";

export interface CloudOptions {
  slug: string;
  /** The GraphQL endpoint; replaces the whole default URL, as in Atlas. */
  endpoint: string;
  token: string;
  timeouts: HttpTimeouts;
  ref?: StateRef;
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

  async publish(state: State, options: PublishOptions): Promise<Published> {
    const base64 = Buffer.from(state.archive).toString("base64");
    const data = await this.call<{ pushDir?: { url?: unknown } }>(
      PUSH_DIR,
      { input: { slug: this.options.slug, tag: state.tag, driver: "POSTGRESQL", dir: base64 } },
      options.signal,
    );
    const link = typeof data.pushDir?.url === "string" ? data.pushDir.url : "";
    return { bytes: state.archive.length, skipped: false, link };
  }

  async fetch(ref: StateRef, signal: AbortSignal): Promise<Fetched> {
    const input =
      "tag" in ref
        ? { slug: this.options.slug, tag: ref.tag }
        : { slug: this.options.slug, version: ref.version };
    const data = await this.call<{ dirState?: { content?: unknown } }>(DIR_STATE, { input }, signal);
    const content = data.dirState?.content;
    if (typeof content !== "string" || content === "") {
      throw new RelayError("not-found", `${this.display}: ${describe(ref)} not found`);
    }
    // Buffer.from skips what is not base64; a damaged answer must say so, not fail later as a bad tar.
    if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
      throw new RelayError(
        "integrity",
        `${this.display}: the registry's archive of ${describe(ref)} is not valid base64`,
      );
    }
    return { archive: new Uint8Array(Buffer.from(content, "base64")) };
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
    return this.interpret<T>(answer, label);
  }

  private interpret<T>(answer: HttpAnswer, label: string): T {
    const { status, body } = answer;
    if (status === 401 || status === 403) {
      throw new RelayError(
        "unauthorized",
        `${label} refused the token (HTTP ${status}): check the cloud token (--cloud-token / ATLAS_TOKEN)`,
      );
    }
    const errors = graphQLErrors(body);
    if (status !== 200) {
      const detail = errors ? errors.text : `unexpected status ${status}: ${cut(body)}`;
      // 5xx and 429 say "try later / elsewhere"; any other status is a request we got wrong.
      const kind = status >= 500 || status === 429 ? "unreachable" : "input";
      throw new RelayError(kind, `${label}: HTTP ${status}: ${cut(detail)}`);
    }
    if (errors) {
      const { text, codes } = errors;
      const kind =
        codes.some((c) => NOT_FOUND_CODES.includes(c)) || /not.?found|no such|does not exist/i.test(text)
          ? "not-found"
          : codes.some((c) => UNAUTHORIZED_CODES.includes(c)) ||
              /unauthori[sz]ed|unauthenticated|forbidden|permission denied/i.test(text)
            ? "unauthorized"
            : "input";
      throw new RelayError(kind, `${label}: ${cut(text)}`);
    }
    try {
      const parsed = JSON.parse(body) as { data?: T };
      if (parsed.data && typeof parsed.data === "object") return parsed.data;
    } catch {
      /* fall through */
    }
    throw new RelayError("integrity", `${label}: answer is not GraphQL JSON: ${cut(body)}`);
  }
}

export const describe = (ref: StateRef) => ("tag" in ref ? `tag "${ref.tag}"` : `version "${ref.version}"`);
