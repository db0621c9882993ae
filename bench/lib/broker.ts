/**
 * A real MQTT broker on loopback for the benches: Aedes, in this process, on a free port. It stands in
 * for Mosquitto or AWS IoT Core, so the skill and the bridge talk to it over real TCP.
 */
import { Aedes } from 'aedes';
import { createServer, type AddressInfo, type Server } from 'node:net';

export interface LocalBroker {
  url: string;
  port: number;
  aedes: Aedes;
  close(): Promise<void>;
}

export async function startBroker(): Promise<LocalBroker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    aedes,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()));
      }),
  };
}
