/**
 * The bridge's broker connection and what it lets in: MQTT 5 with a maximum packet size where the
 * broker speaks it (Mosquitto drops a larger message for the bridge), 3.1.1 after one warning where it
 * does not (Aedes), and on either, a PacketCap that cuts an oversized message short before mqtt.js
 * holds it whole.
 */
import { PassThrough } from 'node:stream';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { connectLink } from '../../devices/mqtt/link';
import { encodeLength, PacketCap } from '../../devices/mqtt/packet-cap';
import { MAX_MESSAGE_BYTES, MAX_PACKET_BYTES } from '../../src/protocol/messages';
import { startAedes, startMosquitto, mosquittoPath, type TestBroker } from '../support/brokers';
import { until } from '../support/until';
import { memoryLogger } from './helpers';

const KEPT = MAX_MESSAGE_BYTES + 1;

function publish(topic: string, payloadBytes: number, qos: 0 | 1, protocolVersion: 4 | 5, fill = 0x41): Buffer {
  const packet: IPublishPacket = { cmd: 'publish', topic, payload: Buffer.alloc(payloadBytes, fill), qos, retain: false, dup: false, ...(qos > 0 ? { messageId: 7 } : {}) };
  if (protocolVersion === 5) packet.properties = { userProperties: { note: 'x'.repeat(300) }, contentType: 'application/json' };
  return mqttPacket.generate(packet, { protocolVersion });
}

/** What mqtt.js would parse from `input` after the cap, fed in pieces of `pieceBytes`. */
async function throughCap(input: Buffer, protocolVersion: 4 | 5, pieceBytes: number): Promise<{ packets: Packet[]; oversized: [string, number][]; passedBytes: number }> {
  const oversized: [string, number][] = [];
  const cap = new PacketCap({ maxPacketBytes: MAX_PACKET_BYTES, keptPayloadBytes: KEPT, protocolVersion, onOversized: (topic, bytes) => oversized.push([topic, bytes]) });
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: Packet[] = [];
  let passedBytes = 0;
  parser.on('packet', (p) => packets.push(p));
  cap.on('data', (chunk: Buffer) => {
    passedBytes += chunk.length;
    parser.parse(chunk);
  });
  const source = new PassThrough();
  source.pipe(cap);
  for (let at = 0; at < input.length; at += pieceBytes) source.write(input.subarray(at, at + pieceBytes));
  source.end();
  await new Promise((resolve) => cap.on('end', resolve));
  return { packets, oversized, passedBytes };
}

describe('PacketCap', () => {
  test.each([4, 5] as const)('MQTT %s: packets within the limit pass unchanged, however the bytes arrive', async (version) => {
    const small = Buffer.concat([publish('winddown/h/command', 10, 1, version), mqttPacket.generate({ cmd: 'pingresp' }, { protocolVersion: version })]);
    const input = Buffer.concat([small, publish('winddown/h/command', MAX_MESSAGE_BYTES, 0, version)]);
    // Byte by byte through the headers; in socket-sized pieces through the largest message allowed.
    for (const [bytes, piece] of [[small, 1], [small, 7], [input, 4096], [input, input.length]] as const) {
      const out = await throughCap(bytes, version, piece);
      expect(out.oversized).toEqual([]);
      expect(out.passedBytes).toBe(bytes.length);
      expect(out.packets.map((p) => p.cmd)).toEqual(bytes === small ? ['publish', 'pingresp'] : ['publish', 'pingresp', 'publish']);
    }
  });

  test.each([4, 5] as const)('MQTT %s: an oversized PUBLISH is cut short, keeps its topic and packet id, and what follows is intact', async (version) => {
    const big = publish('winddown/h/command', 1024 * 1024, 1, version);
    const after = publish('winddown/h/command', 20, 0, version, 0x42);
    for (const piece of [1000, 65_536, big.length + after.length]) {
      const out = await throughCap(Buffer.concat([big, after]), version, piece);
      expect(out.oversized).toEqual([['winddown/h/command', big.length]]);
      const [cut, next] = out.packets as [IPublishPacket, IPublishPacket];
      expect(cut).toMatchObject({ cmd: 'publish', topic: 'winddown/h/command', qos: 1, messageId: 7 });
      expect((cut.payload as Buffer).length).toBe(KEPT);
      expect(next).toMatchObject({ cmd: 'publish', topic: 'winddown/h/command', qos: 0 });
      expect(next.payload).toEqual(Buffer.alloc(20, 0x42));
      // All that was ever passed on: the kept part and the small message after it.
      expect(out.passedBytes).toBeLessThan(MAX_PACKET_BYTES + after.length);
    }
  });

  test('an oversized publish whose properties run past its end is an error, not a hang', async () => {
    const remaining = MAX_PACKET_BYTES + 10;
    const broken = Buffer.from([0x30, ...encodeLength(remaining), 0x00, 0x01, 0x61, ...encodeLength(remaining * 2), ...Buffer.alloc(remaining)]);
    const cap = new PacketCap({ maxPacketBytes: MAX_PACKET_BYTES, keptPayloadBytes: KEPT, protocolVersion: 5 });
    const failed = new Promise<Error>((resolve) => cap.on('error', resolve));
    cap.resume();
    cap.end(broken);
    expect((await failed).message).toMatch(/ends inside its properties/);
  });
});

describe('the link to the broker', () => {
  const clients: MqttClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true);
  });

  async function link(broker: { url: string }, clientId: string, reconnectMinMs = 20): Promise<{ client: MqttClient; logs: ReturnType<typeof memoryLogger>; received: Buffer[] }> {
    const logs = memoryLogger();
    const client = connectLink({ settings: { url: broker.url, clientId }, log: logs.log, reconnectMinMs, reconnectMaxMs: Math.max(50, reconnectMinMs) });
    clients.push(client);
    const received: Buffer[] = [];
    client.on('message', (_topic, payload) => received.push(payload));
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await client.subscribeAsync('winddown/link-test/command', { qos: 1 });
    return { client, logs, received };
  }

  async function sender(broker: { url: string }): Promise<MqttClient> {
    const client = await mqtt.connectAsync(broker.url, { clientId: `sender-${Math.random().toString(36).slice(2)}` });
    clients.push(client);
    return client;
  }

  /** One broker for a describe block's tests, stopped after them. */
  function sharedBroker(start: () => Promise<TestBroker>): { readonly url: string } {
    let broker: TestBroker | undefined;
    beforeAll(async () => void (broker = await start()));
    afterAll(() => broker?.close());
    return {
      get url() {
        if (!broker) throw new Error('the broker did not start');
        return broker.url;
      },
    };
  }

  (mosquittoPath ? describe : describe.skip)('Mosquitto (MQTT 5)', () => {
    const broker = sharedBroker(() => startMosquitto());

    test('a 1 MB publish to the command topic never reaches the bridge; the next command does', async () => {
      const bridge = await link(broker, 'winddown-bridge-link-m');
      expect(bridge.client.options.protocolVersion).toBe(5);
      expect(bridge.logs.lines.find((l) => l.msg === 'connected')).toMatchObject({ mqtt: '5' });
      const skill = await sender(broker);
      for (const qos of [0, 1] as const) await skill.publishAsync('winddown/link-test/command', Buffer.alloc(1024 * 1024, 0x41), { qos });
      // One byte over the inbox's limit still arrives, so the inbox can say why it refuses it.
      await skill.publishAsync('winddown/link-test/command', Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), { qos: 1 });
      await skill.publishAsync('winddown/link-test/command', 'after', { qos: 1 });
      await until(() => bridge.received.some((p) => p.toString() === 'after'), 'the small command after it');
      // Mosquitto delivers in order: by now the large ones would have arrived.
      expect(bridge.received.map((p) => p.length)).toEqual([MAX_MESSAGE_BYTES + 1, 5]);
      expect(bridge.logs.warnings()).toEqual([]);
    });

    test('the session is kept on MQTT 5: a QoS 1 command sent while the bridge is away arrives when it is back', async () => {
      const first = await link(broker, 'winddown-bridge-link-s');
      await first.client.endAsync(true);
      clients.splice(clients.indexOf(first.client), 1);
      await (await sender(broker)).publishAsync('winddown/link-test/command', 'queued', { qos: 1 });
      const logs = memoryLogger();
      const again = connectLink({ settings: { url: broker.url, clientId: 'winddown-bridge-link-s' }, log: logs.log });
      clients.push(again);
      const received: string[] = [];
      again.on('message', (_t, payload) => received.push(payload.toString()));
      await until(() => received.includes('queued'), 'the queued command');
      expect(logs.lines.find((l) => l.msg === 'connected')).toMatchObject({ sessionPresent: true, mqtt: '5' });
    });
  });

  describe('Aedes (MQTT 3.1.1 only)', () => {
    const broker = sharedBroker(() => startAedes());

    test('MQTT 5 refused: one warning line, then 3.1.1 at once, and no second try with 5', async () => {
      // Reconnects a minute apart: the 3.1.1 connection does not wait for one.
      const bridge = await link(broker, 'winddown-bridge-link-a', 60_000);
      expect(bridge.client.options.protocolVersion).toBe(4);
      expect(bridge.logs.warnings().map((l) => l.msg)).toEqual([expect.stringMatching(/^the broker speaks only MQTT 3\.1\.1/)]);
      expect(bridge.logs.lines.filter((l) => l.msg === 'connected')).toEqual([expect.objectContaining({ mqtt: '3.1.1' })]);
      // After the connection drops the bridge stays with 3.1.1: no refusal, no warning.
      bridge.client.options.reconnectPeriod = 20;
      bridge.client.stream.destroy();
      await until(() => bridge.logs.lines.filter((l) => l.msg === 'connected').length === 2, 'reconnected');
      expect(bridge.logs.warnings().filter((l) => /3\.1\.1/.test(l.msg))).toHaveLength(1);
    });

    test('a 1 MB publish reaches mqtt.js only cut short, is acknowledged, and the next command arrives whole', async () => {
      const bridge = await link(broker, 'winddown-bridge-link-b');
      const skill = await sender(broker);
      await skill.publishAsync('winddown/link-test/command', Buffer.alloc(1024 * 1024, 0x41), { qos: 1 });
      await skill.publishAsync('winddown/link-test/command', 'after', { qos: 1 });
      await until(() => bridge.received.some((p) => p.toString() === 'after'), 'the small command after it');
      expect(bridge.received.map((p) => p.length)).toEqual([KEPT, 5]);
      expect(bridge.logs.warnings().filter((l) => l.msg.startsWith('message too large'))).toEqual([
        expect.objectContaining({ topic: 'winddown/link-test/command', limit: MAX_PACKET_BYTES }),
      ]);
    });
  });
});
