import { describe, expect, it } from "vitest";
import { displayLocation, shortenLocation } from "./location.js";

describe("shortenLocation()", () => {
  it("shortens cargo registry paths", () => {
    expect(shortenLocation("/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tokio-1.54.1/src/sync/batch_semaphore.rs:156")).toBe(
      "<cargo>/tokio-1.54.1/src/sync/batch_semaphore.rs:156",
    );
  });
  it("shortens cargo git checkouts", () => {
    expect(shortenLocation("/home/a/.cargo/git/checkouts/console-abc/src/lib.rs:3")).toBe("<cargo>/console-abc/src/lib.rs:3");
  });
  it("leaves project paths alone", () => {
    expect(shortenLocation("deadlock-app/src/main.rs:46:27")).toBe("deadlock-app/src/main.rs:46:27");
    expect(shortenLocation("/srv/app/server.mjs:10:5")).toBe("/srv/app/server.mjs:10:5");
  });
});

describe("displayLocation()", () => {
  it("makes paths under the working directory relative", () => {
    expect(displayLocation("/srv/app/server.mjs:10:5", "/srv")).toBe("app/server.mjs:10:5");
    expect(displayLocation("file:///srv/app/server.mjs:10:5", "/srv/")).toBe("app/server.mjs:10:5");
  });
  it("leaves other paths alone and still shortens cargo ones", () => {
    expect(displayLocation("/elsewhere/server.mjs:1", "/srv")).toBe("/elsewhere/server.mjs:1");
    expect(displayLocation("/root/.cargo/registry/src/x/tokio-1.0.0/src/a.rs:1", "/srv")).toBe("<cargo>/tokio-1.0.0/src/a.rs:1");
  });
});
