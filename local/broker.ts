/**
 * The embedded MQTT broker: Aedes in this process, listening on loopback. The local run starts one when
 * no WINDDOWN_MQTT_URL is set; the bench and the tests start theirs with the same code, so what they
 * measure and check is the broker that ships.
 */
import net from 'node:net';
import type { Aedes } from 'aedes';

export interface AedesListener {
  /** The port it listens on (a free one when asked for 0). */
  readonly port: number;
  /** Drops every connection and stops listening; the broker itself (its sessions, queued messages) stays. */
  close(): Promise<void>;
}

export interface AedesBroker {
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The broker itself, for those who watch what passes through it. */
  readonly aedes: Aedes;
  close(): Promise<void>;
}

/** Listens for `aedes` on 127.0.0.1:`port`, keeping track of the connections so closing never waits on a client. */
export async function listenAedes(aedes: Aedes, port = 0): Promise<AedesListener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      // A client still connected would keep server.close() waiting.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A new Aedes broker on 127.0.0.1:`port` (0: a free port). */
export async function startAedes(port = 0): Promise<AedesBroker> {
  // Loaded here, not at the top: only `winddown start` needs a broker, and Aedes is an ES module.
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  let listener: AedesListener;
  try {
    listener = await listenAedes(aedes, port);
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw error;
  }
  return {
    url: `mqtt://127.0.0.1:${listener.port}`,
    port: listener.port,
    aedes,
    close: async () => {
      await listener.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
