import { describe, expect, it } from "vitest";
import { decodeKeys } from "./key-decoder.js";

describe("decodeKeys", () => {
  it("reads arrows in CSI and SS3 form, Enter, Escape and Ctrl-C", () => {
    expect(decodeKeys("\x1b[A\x1b[B\x1bOC\x1b[D").map((k) => k.name)).toEqual(["up", "down", "right", "left"]);
    expect(decodeKeys("\r")).toEqual([{ name: "enter" }]);
    expect(decodeKeys("\x1b")).toEqual([{ name: "escape" }]);
    expect(decodeKeys("\x03")).toEqual([{ name: "char", char: "c", ctrl: true }]);
  });

  it("reads page keys and plain characters, including several in one chunk", () => {
    expect(decodeKeys("\x1b[5~\x1b[6~").map((k) => k.name)).toEqual(["pageup", "pagedown"]);
    expect(decodeKeys("jk/?P").map((k) => k.char)).toEqual(["j", "k", "/", "?", "P"]);
    expect(decodeKeys(" ")).toEqual([{ name: "char", char: " " }]);
  });

  it("keeps a non-BMP character whole", () => {
    expect(decodeKeys("😀")).toEqual([{ name: "char", char: "😀" }]);
  });
});
