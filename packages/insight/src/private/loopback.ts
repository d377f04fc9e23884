/** Whether a bound address is reachable only from this machine. */
import { isIP } from "node:net";

export function isLoopback(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || /^::ffff:127\./.test(host) || host === "0:0:0:0:0:0:0:1";
  return false;
}
