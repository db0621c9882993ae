/**
 * The programs side by side: the skill, the bridge and the local run accept exactly the same broker
 * URLs, the skill's slim connect has a transport for each of them, and both the skill and the bridge
 * connect with the options the shared builder makes (seen from a real Aedes broker).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Client as AedesClient } from 'aedes';
import { readConfig, SKILL_VARIABLES } from '../../lambda/config';
import { mqttHomeLink } from '../../lambda/home-link';
import { silentLog } from '../../lambda/log';
import { connectMqtt } from '../../lambda/mqtt-connect';
import { BRIDGE_VARIABLES, loadConfig } from '../../devices/config';
import { connectLink } from '../../devices/mqtt/link';
import { loadLocalConfig, LOCAL_VARIABLES } from '../../local/config';
import { MQTT_SCHEMES } from '../../src/config/mqtt';
import { memoryLogger } from '../devices/helpers';
import { startAedes, type AedesBroker } from '../support/brokers';
import { TEST_HOME_KEY, TEST_HOME_KEY_HEX } from '../support/signing';
import { closedAtTeardown } from '../support/teardown';

const URLS = [...MQTT_SCHEMES.map((s) => `${s}://broker.example:1234`), 'http://broker.example', 'https://broker.example', 'mqtt://', 'broker.example:1883', 'mqtt+ws://broker'];

function bridgeAccepts(url: string): boolean {
  try {
    loadConfig({ env: { WINDDOWN_MQTT_URL: url, WINDDOWN_HOME_ID: 'home', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX } });
    return true;
  } catch {
    return false;
  }
}

function localAccepts(url: string): boolean {
  try {
    loadLocalConfig({ WINDDOWN_MQTT_URL: url });
    return true;
  } catch {
    return false;
  }
}

const skillAccepts = (url: string): boolean => readConfig({ WINDDOWN_MQTT_URL: url, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX }).problems.length === 0;

describe('one broker URL rule', () => {
  test.each(URLS)('%s: the skill, the bridge and the local run agree', (url) => {
    const accepted = (MQTT_SCHEMES as readonly string[]).some((s) => url.startsWith(`${s}://`) && url.length > s.length + 3);
    expect({ skill: skillAccepts(url), bridge: bridgeAccepts(url), local: localAccepts(url) }).toEqual({ skill: accepted, bridge: accepted, local: accepted });
  });

  /** The first bytes a client sends to a plain TCP listener: MQTT's CONNECT (0x10) or TLS's handshake (0x16). */
  async function firstByte(scheme: string): Promise<number> {
    let resolveByte: (byte: number) => void = () => undefined;
    const got = new Promise<number>((resolve) => (resolveByte = resolve));
    const server = net.createServer((socket) => {
      socket.once('data', (data: Buffer) => {
        resolveByte(data[0] ?? -1);
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = connectMqtt(`${scheme}://127.0.0.1:${port}`, { clientId: 'probe', reconnectPeriod: 0, connectTimeout: 2000 });
    client.on('error', () => undefined);
    try {
      return await got;
    } finally {
      client.end(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  test("the skill's slim connect speaks MQTT over TCP for mqtt:// and tcp://, and TLS for mqtts:// and ssl://", async () => {
    expect(await firstByte('mqtt')).toBe(0x10);
    expect(await firstByte('tcp')).toBe(0x10);
    expect(await firstByte('mqtts')).toBe(0x16);
    expect(await firstByte('ssl')).toBe(0x16);
  });

  test("every accepted scheme has a transport in the skill's slim connect", () => {
    for (const scheme of MQTT_SCHEMES) {
      const client = connectMqtt(`${scheme}://127.0.0.1:9`, { clientId: 'probe', reconnectPeriod: 0 });
      client.on('error', () => undefined);
      client.end(true);
    }
    expect(() => connectMqtt('http://127.0.0.1:9', {})).toThrow('unsupported MQTT protocol "http"');
  });
});

describe('one MQTT options builder, used by the skill and the bridge', () => {
  let broker: AedesBroker;
  const clients: AedesClient[] = [];
  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
    broker.aedes.on('client', (client) => void clients.push(client));
  });

  async function connected(prefix: string): Promise<AedesClient & { clean?: boolean; will?: { topic: string } }> {
    for (let i = 0; i < 200; i++) {
      const found = clients.find((c) => c.id.startsWith(prefix));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no client ${prefix}* connected`);
  }

  test('the bridge: its fixed client id, a kept session and a retained last will', async () => {
    const config = loadConfig({ env: { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: 'options-home', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX } });
    const client = connectLink({ settings: config.mqtt, log: memoryLogger().log, will: { topic: 'winddown/options-home/availability', payload: 'offline' } });
    try {
      const seen = await connected('winddown-bridge-options-home');
      expect(seen.clean).toBe(false);
      expect(seen.will).toMatchObject({ topic: 'winddown/options-home/availability', retain: true, qos: 1 });
      expect(client.options).toMatchObject({ clean: false, keepalive: 30, protocolVersion: 4 });
    } finally {
      await client.endAsync(true);
    }
  });

  test('the skill: a fresh client id per container and a clean session', async () => {
    const config = readConfig({ WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX });
    const link = mqttHomeLink({ settings: config.mqtt!, homeId: 'home', key: TEST_HOME_KEY, timeoutMs: 1500, log: silentLog });
    try {
      link.warm();
      const seen = await connected('winddown-skill-');
      expect(seen.clean).toBe(true);
      expect(seen.will).toBeFalsy();
    } finally {
      await link.close();
    }
  });
});

test("README's Settings table lists every variable of the three programs", () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Settings\n'), readme.indexOf('\n## ', readme.indexOf('\n## Settings\n') + 1));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const documented = new Set(rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([A-Z_…]+)`/g)].map((m) => m[1])));
  // "`WINDDOWN_DIFFUSER_MQTT_URL`, `…_USERNAME`" names the rest of a family by its ending.
  const families = [...documented].filter((name) => name?.endsWith('_URL')).map((name) => name!.slice(0, -'URL'.length));
  const listed = (name: string): boolean => documented.has(name) || families.some((prefix) => name.startsWith(prefix) && documented.has(`…_${name.slice(prefix.length)}`));
  const missing = [...new Set([...Object.keys(SKILL_VARIABLES), ...Object.keys(BRIDGE_VARIABLES), ...Object.keys(LOCAL_VARIABLES)])].filter((name) => !listed(name));
  expect(missing).toEqual([]);
});
