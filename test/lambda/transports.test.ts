/**
 * The home link over every transport the skill supports, against a real Mosquitto: mqtts:// checked
 * against WINDDOWN_MQTT_CA, with a client certificate and key as AWS IoT Core requires, ws:// and
 * wss://. The broker's certificates are made for the test with the openssl command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as say from '../../lambda/speech';
import { homeTopics } from '../../src/protocol/topics';
import { makeCerts, mosquittoPath, opensslPath, type TestCerts } from '../support/brokers';
import { harness, HOME_ID, startRecordedMosquitto, textOf, type Harness, type RecordedMosquitto } from './helpers';
import { until } from '../support/until';
import { closedAtTeardown } from '../support/teardown';

// Skipped only when a binary is missing: CI installs mosquitto (and openssl comes with Debian).
const runnable = mosquittoPath !== null && opensslPath !== null;

(runnable ? describe : describe.skip)('the home link over TLS and WebSocket (Mosquitto)', () => {
  let serverOnly: RecordedMosquitto;
  let mutual: RecordedMosquitto;
  let otherCa: TestCerts;
  let otherCaDir: string;

  beforeAll(async () => {
    serverOnly = await closedAtTeardown(startRecordedMosquitto({ tls: true, websockets: true, secureWebsockets: true }));
    mutual = await closedAtTeardown(startRecordedMosquitto({ tls: true, requireClientCert: true }));
    otherCaDir = mkdtempSync(join(tmpdir(), 'winddown-other-ca-'));
    otherCa = makeCerts(otherCaDir, 'someone-else');
  }, 30_000);
  afterAll(() => rmSync(otherCaDir, { recursive: true, force: true }));
  afterEach(() => {
    for (const b of [serverOnly, mutual]) {
      expect(b.rejected).toEqual([]);
      b.published.length = 0;
    }
  });

  function skill(env: Record<string, string>): Harness {
    return harness({ env });
  }

  /** Launch, then the broker's subscriber must see the session and the diffuser for this home. */
  async function expectLaunchDelivered(h: Harness, broker: RecordedMosquitto): Promise<void> {
    const r = await h.launch();
    expect(textOf(r).startsWith(say.WELCOME)).toBe(true);
    await until(() => broker.published.length >= 2);
    expect(broker.published.map((p) => [p.topic, p.command.type, p.command.homeId])).toEqual([
      [homeTopics(HOME_ID).command, 'session.start', HOME_ID],
      [homeTopics(HOME_ID).command, 'diffuser.set', HOME_ID],
    ]);
    expect(h.log.lines.filter((l) => l.event === 'home-link.unreachable')).toEqual([]);
  }

  it('mqtts:// checks the broker against WINDDOWN_MQTT_CA (a file)', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: serverOnly.tlsUrl!, WINDDOWN_MQTT_CA: serverOnly.certs!.caFile });
    await expectLaunchDelivered(h, serverOnly);
  });

  it('mqtts:// with a client certificate and key, as AWS IoT Core requires', async () => {
    const certs = mutual.certs!;
    const h = skill({
      WINDDOWN_MQTT_URL: mutual.tlsUrl!,
      WINDDOWN_MQTT_CA: certs.caFile,
      WINDDOWN_MQTT_CERT: certs.clientCertFile,
      WINDDOWN_MQTT_KEY: certs.clientKeyFile,
    });
    await expectLaunchDelivered(h, mutual);
  });

  it('takes the PEM text inline too, with \\n for line breaks (one-line Lambda variables)', async () => {
    const certs = mutual.certs!;
    const oneLine = (pem: string): string => pem.trim().replace(/\n/g, '\\n');
    const h = skill({
      WINDDOWN_MQTT_URL: mutual.tlsUrl!,
      WINDDOWN_MQTT_CA: oneLine(certs.ca),
      WINDDOWN_MQTT_CERT: oneLine(certs.clientCert),
      WINDDOWN_MQTT_KEY: oneLine(certs.clientKey),
    });
    await expectLaunchDelivered(h, mutual);
  });

  it('does not publish to a broker whose certificate another CA signed: the voice goes on alone', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: serverOnly.tlsUrl!, WINDDOWN_MQTT_CA: otherCa.caFile });
    const r = await h.launch();
    expect(textOf(r).startsWith(`${say.LIGHTS_UNREACHABLE} ${say.WELCOME}`)).toBe(true);
    expect(serverOnly.published).toEqual([]);
  });

  it('is turned away without a client certificate where one is required', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: mutual.tlsUrl!, WINDDOWN_MQTT_CA: mutual.certs!.caFile });
    const r = await h.launch();
    expect(textOf(r).startsWith(say.LIGHTS_UNREACHABLE)).toBe(true);
    expect(mutual.published).toEqual([]);
  });

  it('ws:// publishes over a WebSocket', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: serverOnly.wsUrl! });
    await expectLaunchDelivered(h, serverOnly);
  });

  it('wss:// publishes over a WebSocket with TLS, checked against WINDDOWN_MQTT_CA', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: serverOnly.wssUrl!, WINDDOWN_MQTT_CA: serverOnly.certs!.caFile });
    await expectLaunchDelivered(h, serverOnly);
  });

  it('keeps one connection while warm, on TLS too', async () => {
    const h = skill({ WINDDOWN_MQTT_URL: serverOnly.tlsUrl!, WINDDOWN_MQTT_CA: serverOnly.certs!.caFile });
    await h.launch();
    await h.utter('turn off the diffuser');
    await until(() => serverOnly.published.length >= 3);
    expect(h.log.lines.filter((l) => l.event === 'home-link.connected')).toHaveLength(1);
  });
});
