/**
 * Encodes a message at most once, `Update`s with the hand-written encoder.
 * The server used to encode each Update twice: once to see whether it needed
 * splitting and again to send it (and once more per extra console). Messages
 * are not changed after they are handed to the server, so the bytes can be
 * kept beside them.
 */
import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "../gen/console/instrument_pb.js";
import { encodeUpdate } from "./update-encoder.js";

const encodings = new WeakMap<object, Uint8Array>();

export function encodeOnce<D extends DescMessage>(schema: D, message: MessageShape<D>): Uint8Array {
  let bytes = encodings.get(message);
  if (bytes === undefined) {
    bytes = schema.typeName === UpdateSchema.typeName ? encodeUpdate(message as Update) : toBinary(schema, message);
    encodings.set(message, bytes);
  }
  return bytes;
}
