import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { portNumber } from "./port-number.js";

describe("portNumber()", () => {
  it("reads 0 to 65535", () => {
    expect(portNumber("--port")("0")).toBe(0);
    expect(portNumber("--port")("6669")).toBe(6669);
    expect(portNumber("--listen-port")("65535")).toBe(65535);
  });

  it.each(["abc", "", "-1", "1.5", "65536", "70000", " 80"])("refuses %j with a one-line error naming the flag", (value) => {
    expect(() => portNumber("--listen-port")(value)).toThrow(new CliError(`--listen-port expects a port number, got "${value}"`));
  });
});
