// Planted: a handshake where each side waits for the other's hello before
// sending its own. The two oneshots are created by a function of the main
// module and each end is handed to one task; nothing else references them.
import * as insight from "async-insight";
import { oneshot } from "async-insight/sync";

const address = await insight.init().ready;

async function side(theirHello, myHello, me) {
  const peer = await theirHello;
  myHello.send({ from: me, ack: peer.from });
}

function connect() {
  const [clientHelloTx, clientHelloRx] = oneshot({ name: "client_hello" });
  const [serverHelloTx, serverHelloRx] = oneshot({ name: "server_hello" });
  insight.spawn("client", () => side(serverHelloRx, clientHelloTx, "client"));
  insight.spawn("server", () => side(clientHelloRx, serverHelloTx, "server"));
}

connect();
const service = setInterval(() => {}, 60_000); // stands in for the server that keeps a service up
console.log(`ready ${address?.port}`);
setTimeout(() => console.log("formed"), 200);
