// A real Aedes broker for the whole-skill tests. Aedes 1.x is an ES module, which jest's CommonJS runtime
// cannot load, so it runs as a child process: it prints {"port"} once listening, then one JSON line per
// message a client publishes ({"topic","payload" in base64}). Killing the process stops it.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
broker.on('publish', (packet, client) => {
  if (client === null) return; // the broker's own $SYS messages
  process.stdout.write(`${JSON.stringify({ topic: packet.topic, payload: Buffer.from(packet.payload).toString('base64') })}\n`);
});
const server = createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => {
  broker.close(() => server.close(() => process.exit(0)));
});
