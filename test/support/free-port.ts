/**
 * Finds a TCP port nobody is listening on, for peers that must be told their
 * port up front (a Rust app reading TOKIO_CONSOLE_BIND, tokio-console's
 * target URL). Binding port 0 and releasing it leaves a small window in which
 * another process could take the port; tests that can let the peer bind port 0
 * itself should prefer that.
 */
import { createServer } from "node:net";

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (!address || typeof address === "string") {
        server.close();
        reject(new Error("listening socket has no TCP address"));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
