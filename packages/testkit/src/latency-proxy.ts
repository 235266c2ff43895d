// A loopback TCP proxy that adds latency, as between a CI runner and a database in another region:
// every chunk the server sends back is held `delayMs` before it reaches the client, so each round
// trip (query -> reply) costs delayMs more. Used by bench/fleet.bench.ts; the bytes are untouched.
import { createConnection, createServer, type Socket } from "node:net";

export interface LatencyProxy {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Replies held back so far (chunks from the server): about one per round trip. */
  replies(): number;
  stop(): Promise<void>;
}

export async function startLatencyProxy(
  target: { host: string; port: number },
  delayMs: number,
): Promise<LatencyProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let replies = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    // Timers of the same duration fire in the order they were set, so chunks keep their order.
    upstream.on("data", (chunk) => {
      replies++;
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
    });
    upstream.on("end", () => setTimeout(() => client.end(), delayMs));
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", () => setTimeout(close, delayMs));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    host: "127.0.0.1",
    port,
    connections: () => accepted,
    replies: () => replies,
    async stop() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
