// What the test doubles share: an HTTP server on 127.0.0.1 that can stop listening (so connections
// are refused, as from a service that is down) and listen again on the same port.
import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Loopback {
  port: number;
  /** Refuse connections from now on: stop listening and drop the open ones. */
  refuse(): Promise<void>;
  /** Listen again on the same port (no-op when listening). */
  resume(): Promise<void>;
}

export async function listenOnLoopback(server: Server, port = 0): Promise<Loopback> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = (at: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(at, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const bound = await listen(port);
  return {
    port: bound,
    async refuse() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async resume() {
      if (!server.listening) await listen(bound);
    },
  };
}
