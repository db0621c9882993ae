// A real Aedes broker for the bridge tests. Aedes 1.x is an ES module, which jest's CommonJS runtime
// cannot load, so it runs as a child process on loopback. It prints {"port"} once listening. On stdin,
// "down" drops every connection and stops listening (the broker keeps its sessions, as a broker with
// persistence would across a restart) and "up" listens again on the same port; each answers {"ok"}.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const sockets = new Set();
let server = null;
let port = 0;

function listen() {
  return new Promise((resolve) => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      broker.handle(socket);
    });
    server.listen(port, '127.0.0.1', () => {
      port = server.address().port;
      resolve();
    });
  });
}

function down() {
  const s = server;
  server = null;
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
}

await listen();
process.stdout.write(`${JSON.stringify({ port })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const done = () => process.stdout.write(`${JSON.stringify({ ok: line.trim() })}\n`);
  if (line.trim() === 'down') void down().then(done);
  else if (line.trim() === 'up') void listen().then(done);
});
process.on('SIGTERM', () => {
  void down().then(() => broker.close(() => process.exit(0)));
});
