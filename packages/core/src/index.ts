// The core library: everything that is not GitHub-specific. No @actions/* imports here.

export * from "./apply/index";
export * from "./config/index";
export * from "./dir/index";
export * from "./duration";
export * from "./errors";
export { FormatTemplate, parseFormat, TEMPLATE_SUPPORTED } from "./gotemplate";
export * from "./grant/index";
export * from "./hints";
export * from "./relay/index";
export * from "./replica/index";
export * from "./report/index";
export * from "./secrets";
export * from "./settings";
