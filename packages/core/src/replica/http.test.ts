import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { deadlineSignal, postJson } from "./http";

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A raw TCP server on loopback whose behaviour per connection the test decides. */
function tcpServer(onConnection: (socket: import("node:net").Socket) => void): Promise<URL> {
  const server = createServer(onConnection);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(new URL(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/query`));
    }),
  );
}

const timeouts = { connectMs: 1_000, totalMs: 300 };
const never = new AbortController().signal;

describe("postJson", () => {
  it("classifies a refused connection as unreachable", async () => {
    const url = await tcpServer(() => {});
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 20));
    await expect(postJson(url, "{}", {}, timeouts, never, "registry X")).rejects.toMatchObject({
      kind: "unreachable",
      message: "registry X: connection refused",
    });
  });

  it("classifies a dropped connection as a reset", async () => {
    const url = await tcpServer((socket) => socket.destroy());
    await expect(postJson(url, "{}", {}, timeouts, never, "registry X")).rejects.toMatchObject({
      kind: "unreachable",
      message: expect.stringMatching(/registry X: (connection reset|network error)/),
    });
  });

  it("gives up on a server that accepts and never answers after the total timeout", async () => {
    const url = await tcpServer(() => {});
    await expect(postJson(url, "{}", {}, timeouts, never, "registry X")).rejects.toMatchObject({
      kind: "unreachable",
      message: "registry X: timeout after 0.3 s",
    });
  });

  it("stops when the caller's deadline fires, saying so", async () => {
    const url = await tcpServer(() => {});
    const deadline = deadlineSignal(50);
    await expect(
      postJson(url, "{}", {}, { connectMs: 1_000, totalMs: 10_000 }, deadline.signal, "registry X"),
    ).rejects.toMatchObject({ kind: "unreachable", message: "registry X: timeout after 0.1 s" });
    deadline.clear();
  });

  it("returns status and body of an answer", async () => {
    const url = await tcpServer((socket) =>
      socket.once("data", () =>
        socket.end("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 4\r\n\r\nbusy"),
      ),
    );
    await expect(postJson(url, "{}", {}, timeouts, never, "registry X")).resolves.toEqual({
      status: 503,
      body: "busy",
    });
  });
});
