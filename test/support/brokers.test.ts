/**
 * The test brokers themselves: Aedes in this process and each Mosquitto listener accept a client and
 * deliver a message, and a listener that requires client certificates turns away a client without one.
 */
import { connectAsync, type IClientOptions } from 'mqtt';
import { mosquittoPath, opensslPath, startAedes, startMosquitto, type MosquittoBroker } from './brokers';

async function roundTrip(url: string, options: IClientOptions = {}): Promise<string> {
  const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...options });
  try {
    const received = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
    await client.subscribeAsync('support/test', { qos: 1 });
    await client.publishAsync('support/test', 'hello', { qos: 1 });
    return await received;
  } finally {
    await client.endAsync(true);
  }
}

describe('startAedes', () => {
  it('runs a broker in this process that clients can use and close cleanly', async () => {
    const broker = await startAedes();
    const seen: string[] = [];
    broker.aedes.on('publish', (packet, client) => {
      if (client) seen.push(packet.topic);
    });
    try {
      expect(await roundTrip(broker.url)).toBe('hello');
      expect(seen).toEqual(['support/test']);
    } finally {
      await broker.close();
    }
  });
});

// Skipped only when the binaries are missing: CI installs mosquitto, and openssl comes with Debian.
(mosquittoPath && opensslPath ? describe : describe.skip)('startMosquitto', () => {
  let broker: MosquittoBroker;
  beforeAll(async () => {
    broker = await startMosquitto({ tls: true, requireClientCert: true, websockets: true, secureWebsockets: true });
  }, 30_000);
  afterAll(() => broker?.close());

  it('serves plain MQTT', async () => {
    expect(await roundTrip(broker.url)).toBe('hello');
  });

  it('serves mqtts:// to a client with a certificate from its CA', async () => {
    const { ca, clientCert, clientKey } = broker.certs!;
    expect(await roundTrip(broker.tlsUrl!, { ca, cert: clientCert, key: clientKey })).toBe('hello');
  });

  it('turns away a TLS client without a certificate', async () => {
    await expect(roundTrip(broker.tlsUrl!, { ca: broker.certs!.ca })).rejects.toThrow();
  });

  it('serves ws:// and wss://', async () => {
    expect(await roundTrip(broker.wsUrl!)).toBe('hello');
    expect(await roundTrip(broker.wssUrl!, { ca: broker.certs!.ca })).toBe('hello');
  });
});
