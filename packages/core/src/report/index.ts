// report: result objects -> Markdown job summaries, action outputs and log lines (pure functions).
export * from "./apply";
export * from "./health";
export { errorSummary, escapeCell, escapeHtml, escapeInline, formatBytes, formatMs } from "./markdown";
export * from "./push";
