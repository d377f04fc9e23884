import { create } from "@bufbuild/protobuf";
import http2 from "node:http2";
import { afterEach, expect, it } from "vitest";
import { InstrumentRequestSchema, UpdateSchema } from "../gen/console/instrument_pb.js";
import { encodeFrame } from "../private/grpc-frame.js";
import { GrpcServer } from "./grpc-server.js";

let server: GrpcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it("waits on a slow client without piling up listeners (no leak warning in the host app)", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on("warning", onWarning);
  const big = create(UpdateSchema, {
    taskUpdate: { newTasks: [{ fields: [{ name: { case: "strName", value: "x" }, value: { case: "strVal", value: "y".repeat(256 * 1024) } }] }] },
  });
  server = new GrpcServer();
  server.serverStream("/test.Slow/Watch", InstrumentRequestSchema, UpdateSchema, async function* () {
    for (let i = 0; i < 40; i++) yield big;
  });
  const { port } = await server.listen(0, "127.0.0.1");
  const session = http2.connect(`http://127.0.0.1:${port}`);
  const stream = session.request({ ":method": "POST", ":path": "/test.Slow/Watch", "content-type": "application/grpc+proto", te: "trailers" });
  stream.end(encodeFrame(new Uint8Array()));
  // Read in small sips so the server has to wait for drain many times.
  let received = 0;
  stream.pause();
  await new Promise<void>((resolve) => {
    const sip = () => {
      let chunk: Buffer | null;
      while ((chunk = stream.read(16 * 1024) as Buffer | null) !== null) received += chunk.length;
      if (stream.readableEnded) return resolve();
      setTimeout(sip, 2);
    };
    stream.on("end", resolve);
    sip();
  });
  session.close();
  await new Promise((resolve) => setImmediate(resolve));
  process.off("warning", onWarning);
  expect(received).toBeGreaterThan(40 * 256 * 1024);
  expect(warnings).not.toContain("MaxListenersExceededWarning");
});
