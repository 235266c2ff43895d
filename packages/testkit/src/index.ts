// Real local services for tests, benches and the demo, and the fixtures tests share. Test doubles are named as such.

export * from "./aws-secrets";
export * from "./azurite";
export * from "./compat";
export * from "./db";
export * from "./fault-proxy";
export * from "./gcs";
export * from "./github-cache";
export * from "./latency-proxy";
export * from "./names";
export * from "./oci-registry";
export * from "./pglite";
export * from "./postgres";
export * from "./registry";
export * from "./registry-store";
export * from "./runner";
export * from "./s3";
export * from "./s3-conditional-proxy";
export * from "./spawn";
