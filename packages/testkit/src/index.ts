// Real local services for tests, benches and the demo. Test doubles are named as such.
export * from "./postgres";
export * from "./s3";
