export * from "./archive";
export * from "./directives";
export * from "./files";
export * from "./split";
export * from "./sum";
export * from "./types";
