import { create, toBinary } from "@bufbuild/protobuf";
import { expect, it } from "vitest";
import { UpdateSchema } from "../gen/console/instrument_pb.js";
import { encodeOnce } from "./encoded-once.js";

it("encodes a message once and hands the same bytes to every later caller", () => {
  const update = create(UpdateSchema, { now: { seconds: 5n, nanos: 7 } });
  const first = encodeOnce(UpdateSchema, update);
  expect(first).toEqual(toBinary(UpdateSchema, update));
  expect(encodeOnce(UpdateSchema, update)).toBe(first);
  expect(encodeOnce(UpdateSchema, create(UpdateSchema, {}))).not.toBe(first);
});
