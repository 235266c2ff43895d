// report: result objects -> Markdown job summaries, action outputs, Atlas's shapes and log lines (pure functions).
export * from "./apply";
export * from "./atlas";
export { deploymentMarkdown } from "./deployment";
export * from "./health";
export {
  codeSpan,
  errorSummary,
  escapeCell,
  escapeHtml,
  escapeInline,
  formatBytes,
  formatMs,
} from "./markdown";
export * from "./push";
