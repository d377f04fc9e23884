/**
 * The calls whose messages are small (WatchState, WatchTaskDetails, Pause,
 * Resume): the response body cut into messages by the protocol's
 * FrameReader and decoded one by one.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { encodeFrame, FrameError, FrameReader, GrpcStatus } from "@async-insight/protocol/grpc";
import type { CallChunks } from "./grpc-call.js";
import { compressedMessageError, MessageTooLargeError, NotGrpcAnswerError } from "./message-limit.js";

export interface MethodSchemas<I extends DescMessage, O extends DescMessage> {
  readonly path: string;
  readonly input: I;
  readonly output: O;
}

export function requestFrame<I extends DescMessage>(input: I, message: MessageInitShape<I>): Uint8Array {
  return encodeFrame(toBinary(input, create(input, message)));
}

export async function* streamMessages<I extends DescMessage, O extends DescMessage>(
  call: CallChunks,
  method: MethodSchemas<I, O>,
  request: MessageInitShape<I>,
  signal: AbortSignal,
  maxBytes: number,
): AsyncGenerator<MessageShape<O>> {
  const reader = new FrameReader(maxBytes);
  for await (const chunk of call(method.path, requestFrame(method.input, request), signal)) {
    let messages: Uint8Array[];
    try {
      messages = reader.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      if (error.problem === "compressed") throw compressedMessageError();
      throw new MessageTooLargeError(error.bytes, maxBytes);
    }
    for (const message of messages) yield fromBinary(method.output, message);
  }
  if (reader.pending) throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: the call ended inside a message");
}

export async function unaryCall<I extends DescMessage, O extends DescMessage>(
  call: CallChunks,
  method: MethodSchemas<I, O>,
  request: MessageInitShape<I>,
  signal: AbortSignal,
  maxBytes: number,
): Promise<MessageShape<O>> {
  let answer: MessageShape<O> | undefined;
  for await (const message of streamMessages(call, method, request, signal, maxBytes)) {
    if (answer !== undefined) throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: a unary call answered with more than one message");
    answer = message;
  }
  if (answer === undefined) throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: a unary call answered with no message");
  return answer;
}
