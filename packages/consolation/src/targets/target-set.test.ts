import { describe, expect, it } from "vitest";
import { CliError } from "../cli/cli-error.js";
import type { DiscoveredServer } from "./discovery-dir.js";
import { explicitTargets, isMultiTarget, labelTargets, serverUrl, singleTarget } from "./target-set.js";

const server = (over: Partial<DiscoveredServer>): DiscoveredServer => ({
  pid: 4242,
  ppid: 1,
  threadId: 0,
  kind: "process",
  clusterWorkerId: undefined,
  host: "127.0.0.1",
  port: 7001,
  startedAt: 0,
  script: "app.mjs",
  token: false,
  file: "f",
  ...over,
});

describe("several targets on the command line", () => {
  it("is multi-target for a comma list, a repeated --port or --discover; a target with one --port stays one", () => {
    expect(isMultiTarget({ arg: "7001" })).toBe(false);
    expect(isMultiTarget({ ports: [7001] })).toBe(false);
    expect(isMultiTarget({})).toBe(false);
    expect(isMultiTarget({ arg: "http://10.0.0.5", ports: [7002] })).toBe(false);
    expect(singleTarget({ arg: "http://10.0.0.5", ports: [7002] }).href).toBe("http://10.0.0.5:7002/");
    expect(isMultiTarget({ arg: "7001,7002" })).toBe(true);
    expect(isMultiTarget({ ports: [7001, 7002] })).toBe(true);
    expect(isMultiTarget({ discover: true })).toBe(true);
  });

  it("reads each comma item and each --port as a target, in order, once each", () => {
    const urls = explicitTargets({ arg: "127.0.0.1:7001, localhost:7002,7001", ports: [7003, 7002] });
    expect(urls.map((u) => u.href)).toEqual(["http://127.0.0.1:7001/", "http://localhost:7002/", "http://127.0.0.1:7003/", "http://127.0.0.1:7002/"]);
  });

  it("refuses an empty list and a bad item with a one-line error", () => {
    expect(() => explicitTargets({ arg: " , " })).toThrow(new CliError('invalid target " , ": expected TARGET[,TARGET...]'));
    expect(() => explicitTargets({ arg: "7001,ftp://x:1" })).toThrow(CliError);
  });

  it("labels a named target by the process listening there, else by host:port", () => {
    const servers = [server({}), server({ pid: 4243, threadId: 1, kind: "worker-thread", port: 7002 })];
    const named = labelTargets(explicitTargets({ arg: "localhost:7001,127.0.0.1:7002,127.0.0.1:7005" }), servers);
    expect(named.map((t) => [t.label, t.role])).toEqual([
      ["4242", "process"],
      ["4243/t1", "worker thread 1"],
      ["127.0.0.1:7005", ""],
    ]);
  });

  it("reaches a server bound to every interface on loopback, and brackets IPv6", () => {
    expect(serverUrl(server({ host: "0.0.0.0" }), undefined).href).toBe("http://127.0.0.1:7001/");
    expect(serverUrl(server({ host: "::" }), undefined).href).toBe("http://[::1]:7001/");
    expect(serverUrl(server({ host: "::1" }), undefined).href).toBe("http://[::1]:7001/");
  });
});
