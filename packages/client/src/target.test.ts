import { describe, expect, it } from "vitest";
import { formatTarget, parseTarget, TargetError } from "./target.js";

describe("parseTarget()", () => {
  it.each([
    [undefined, undefined, "http://127.0.0.1:6669"],
    ["7000", undefined, "http://127.0.0.1:7000"],
    ["localhost:7000", undefined, "http://localhost:7000"],
    ["http://10.0.0.1", undefined, "http://10.0.0.1:6669"],
    ["http://10.0.0.1:80", undefined, "http://10.0.0.1"],
    ["http://10.0.0.1:7000", 8080, "http://10.0.0.1:8080"],
    [undefined, 8080, "http://127.0.0.1:8080"],
  ])("reads %s (port %s) as %s", (input, port, expected) => {
    expect(formatTarget(parseTarget(input, port))).toBe(expected);
  });

  it.each([
    ["ftp://host:1", undefined, /scheme ftp: is not supported/],
    ["http://[bad", undefined, /invalid target "http:\/\/\[bad"/],
    [undefined, 70000, /invalid port 70000/],
  ])("rejects %s (port %s) with a message naming the problem", (input, port, message) => {
    expect(() => parseTarget(input, port)).toThrow(TargetError);
    expect(() => parseTarget(input, port)).toThrow(message);
  });
});
