import { describe, expect, it } from "vitest";
import { createEngineViewStore } from "../tui/state/from-engine.js";
import { channelLockDeadlockUpdates } from "@async-insight/engine/testing";
import { CliError } from "./cli-error.js";
import { lintConfigFrom } from "./lint-options.js";

describe("--warn / --allow", () => {
  it("rejects an unknown lint with exit code 2 and the valid ids", () => {
    const error = (() => {
      try {
        lintConfigFrom({ allow: ["self-wake"] });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(/unknown lint: self-wake; known lints: self-wakes, lost-waker/);
  });

  it("keeps the lints named in --warn when everything else is allowed", () => {
    expect(lintConfigFrom({ warn: ["deadlock-cycle"], allow: ["all"] })).toEqual({ warn: ["deadlock-cycle"] });
    expect(lintConfigFrom({ allow: ["all"] })).toEqual({ allow: "all" });
  });

  it("decides what the console reports", () => {
    const lints = (flags: Parameters<typeof lintConfigFrom>[0]) => {
      const source = createEngineViewStore(undefined, lintConfigFrom(flags));
      for (const u of channelLockDeadlockUpdates()) source.applyUpdate(u);
      return source
        .view()
        .problems()
        .map((p) => p.lint);
    };
    expect(lints({})).toContain("deadlock-cycle");
    expect(lints({ allow: ["deadlock-cycle"] })).not.toContain("deadlock-cycle");
    expect(lints({ warn: ["deadlock-cycle"] })).toEqual(["deadlock-cycle"]);
  });
});
