// The core library: everything that is not GitHub-specific. No @actions/* imports here.

export * from "./dir/index";
export * from "./errors";
export * from "./redact";
export * from "./config/index";
export * from "./replica/index";
export * from "./relay/index";
export * from "./grant/index";
export * from "./apply/index";
