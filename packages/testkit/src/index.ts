// Real local services for tests, benches and the demo. Test doubles are named as such.

export * from "./github-cache";
export * from "./latency-proxy";
export * from "./names";
export * from "./pglite";
export * from "./postgres";
export * from "./registry";
export * from "./registry-store";
export * from "./runner";
export * from "./s3";
export * from "./s3-conditional-proxy";
