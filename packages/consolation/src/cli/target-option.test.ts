import { tokenFor } from "@async-insight/client";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { resolveTarget } from "./target-option.js";

describe("resolveTarget() and the target's token", () => {
  it("attaches --token to the target, over CONSOLATION_TOKEN", () => {
    expect(tokenFor(resolveTarget("7000", undefined, "from-flag", { CONSOLATION_TOKEN: "from-env" }))).toBe("from-flag");
  });

  it("falls back to CONSOLATION_TOKEN, and to no token at all", () => {
    expect(tokenFor(resolveTarget("7000", undefined, undefined, { CONSOLATION_TOKEN: "from-env" }))).toBe("from-env");
    expect(tokenFor(resolveTarget("7000", undefined, undefined, {}))).toBeUndefined();
    expect(tokenFor(resolveTarget("7000", undefined, undefined, { CONSOLATION_TOKEN: "" }))).toBeUndefined();
  });

  it("refuses an empty --token with a one-line error", () => {
    expect(() => resolveTarget("7000", undefined, " ", {})).toThrow(new CliError("--token is empty"));
  });
});
