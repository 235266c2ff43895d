// Markdown building blocks for job summaries: escaping for table cells and HTML, times, sizes.
// Pure functions: the actions hand the result to core.summary; nothing here knows of GitHub.

import { CLI_VOCABULARY, speak, type Vocabulary } from "../hints";
import { redact } from "../secrets";

/** `<`, `>`, `&`, `"` as entities: text stays text inside HTML blocks and Markdown alike. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `&` and `<` only: enough that no text turns into a tag or an entity, and `->` stays readable. */
const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/**
 * A code span (URLs: `***` and `_` stay literal). Only a backtick needs care: the fence grows past
 * the longest run inside. In a table cell, pass `cell` so `|` is escaped too (GFM splits on it even
 * inside code spans) and line breaks become spaces.
 */
export function codeSpan(text: string, cell = false): string {
  let t = text.replace(/\s*(\r\n|\r|\n)\s*/g, " ");
  if (cell) t = t.replace(/\|/g, "\\|");
  if (t === "") return "";
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 || t.startsWith(" ") || t.endsWith(" ") ? " " : "";
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * Inline text in a paragraph or heading: HTML escaped, one line, and the Markdown characters that
 * would change it escaped (`*` of a redacted `***`, backticks and brackets of a server message).
 */
export function escapeInline(text: string): string {
  return escapeText(text)
    .replace(/[\\`*[\]]/g, "\\$&")
    .replace(/\s*(\r\n|\r|\n)\s*/g, " ");
}

/**
 * One table cell: as inline text, plus `|` escaped (GFM splits cells on it, even inside code spans)
 * and line breaks as `<br>`.
 */
export function escapeCell(text: string): string {
  return escapeText(text.trim())
    .replace(/[\\`*[\]|]/g, "\\$&")
    .replace(/\r\n|\r|\n/g, "<br>");
}

/** Tokens this long (an S3 key, a URL in an error) get break points, or they widen their column. */
const LONG_TOKEN = 40;

/** `<wbr>` after the separators of long tokens in escaped text, so a long key wraps in its cell. */
export function breakLong(escaped: string): string {
  return escaped.replace(new RegExp(`[^\\s<>]{${LONG_TOKEN},}`, "g"), (token) =>
    token.replace(/([/?=_.-])(?=[^/?=_.-])/g, "$1<wbr>"),
  );
}

/**
 * A table cell that keeps every line of a multi-line text: the first line, the rest folded in
 * <details> (GFM cells are one line; `<br>` keeps the breaks). Long tokens can wrap.
 */
export function detailCell(text: string): string {
  const [first = "", ...rest] = text.trim().split(/\r\n|\r|\n/);
  const head = breakLong(escapeCell(first));
  if (!rest.length) return head;
  return `${head}<details><summary>${rest.length} more line${rest.length === 1 ? "" : "s"}</summary>${breakLong(escapeCell(rest.join("\n")))}</details>`;
}

/** Longer URLs are shortened in a table cell, the full one in the title (hover), so Detail stays in view. */
const URL_CELL = 80;

/** A URL in a table cell: a code span, shortened in the middle when long (the whole URL in its title). */
export function urlCell(url: string): string {
  if (url.length <= URL_CELL) return codeSpan(url, true);
  const short = `${url.slice(0, 32)}…${url.slice(-(URL_CELL - 33))}`;
  return `<code title="${escapeHtml(url).replace(/\|/g, "&#124;")}">${escapeHtml(short).replace(/\|/g, "&#124;")}</code>`;
}

/**
 * A message as a summary paragraph: one line stays inline (bold when `strong`); several lines keep
 * their breaks in a <pre> block after the first (server errors, a PostgreSQL DETAIL/HINT).
 */
export function messageBlock(text: string, strong = false): string {
  const [first = "", ...rest] = text.trim().split(/\r\n|\r|\n/);
  const line = strong ? `**${escapeInline(first)}**` : escapeInline(first);
  return rest.length ? `${line}\n\n<pre>${escapeHtml(rest.join("\n"))}</pre>` : line;
}

/** `6 ms`, `5.0 s`, `2.3 min`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A summary for a step that stopped before it had a result (bad input, unreadable config). */
export function errorSummary(
  title: string,
  message: string,
  secrets: readonly string[] = [],
  vocabulary: Vocabulary = CLI_VOCABULARY,
): string {
  const text = speak(redact(message, secrets), vocabulary);
  return redact(`### ❌ ${escapeInline(title)}\n\n${messageBlock(text, true)}\n`, secrets);
}
