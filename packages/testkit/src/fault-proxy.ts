// An HTTP proxy on 127.0.0.1 in front of a real store (Azurite, the distribution registry, the GCS
// double) that can be made to fail the way a store does: refuse connections, leave requests hanging,
// answer a status, or serve corrupted or truncated bodies. Between faults it passes everything on.
import { createServer, request } from "node:http";
import { type Loopback, listenOnLoopback } from "./loopback";

export type ProxyFault =
  | "none"
  | "refuse"
  | "blackhole"
  /** Large response bodies (above 512 bytes: archives, not pointers) get one byte flipped. */
  | "corrupt"
  /** Large response bodies are cut in half (Content-Length says so: a short object, not a reset). */
  | "truncate"
  | number;

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  host: string;
  setFault(fault: ProxyFault): Promise<void>;
  stop(): Promise<void>;
}

const BIG = 512;

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let fault: ProxyFault = "none";
  const server = createServer((req, res) => {
    if (fault === "blackhole") return; // keep the socket open, answer nothing
    if (typeof fault === "number") {
      req.resume();
      res.writeHead(fault, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: fault, message: `injected HTTP ${fault}` } }));
      return;
    }
    const mode = fault;
    const forward = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        if (mode === "none") {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          let body = Buffer.concat(chunks);
          if (body.length > BIG) {
            if (mode === "corrupt") body[Math.floor(body.length / 2)]! ^= 0xff;
            else body = body.subarray(0, Math.floor(body.length / 2));
          }
          const headers = { ...up.headers, "content-length": String(body.length) };
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  const loopback: Loopback = await listenOnLoopback(server);
  const host = `127.0.0.1:${loopback.port}`;
  return {
    origin: `http://${host}`,
    host,
    async setFault(next) {
      if (fault === "refuse" && next !== "refuse") await loopback.resume();
      fault = next;
      if (next === "refuse") await loopback.refuse();
      if (next === "none") server.closeIdleConnections?.();
    },
    async stop() {
      await loopback.refuse();
    },
  };
}
