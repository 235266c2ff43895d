// Filled in by testkit: one PostgreSQL cluster and one S3 server for the whole test run.
export default async function setup() {}
