// Runs s3rver in its own process: it must be started with `node --openssl-legacy-provider`, or any
// truncated ListObjectsV2 answers 500 (its continuation token uses a cipher OpenSSL 3 hides).
// Usage: node --openssl-legacy-provider s3rver-runner.mjs <directory>
// Prints one JSON line {"port": N} once listening; exits when stdin closes (the parent went away).
import S3rver from "s3rver";

const directory = process.argv[2];
if (!directory) {
  process.stderr.write("usage: s3rver-runner.mjs <directory>\n");
  process.exit(2);
}

const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

const shutdown = () => server.close(() => process.exit(0));
process.stdin.on("end", shutdown);
process.stdin.on("error", shutdown);
process.stdin.resume();
process.on("SIGTERM", shutdown);
