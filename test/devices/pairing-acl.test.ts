/**
 * Pairing on Mosquitto with an ACL for the pairing topics, as docs/protocol.md tells a self-hosting
 * household to set it up: one user per home (named by its home id), the skill's own user, and
 *
 *   user winddown-skill
 *   topic readwrite winddown/#
 *   pattern write winddown/pairing/%u/#
 *   pattern readwrite winddown/%u/#
 *
 * A home can then publish offers only under its own id and read nobody else's. The test plants offers
 * as a foreign home and checks the skill never sees them, then pairs the real home through the same
 * broker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { pairHome } from '../../devices/pairing/pair';
import type { BridgeMqttSettings } from '../../devices/config';
import { mqttPairingDesk } from '../../lambda/pairing-desk';
import { MemoryLedger } from '../../lambda/pairing-ledger';
import { codeTag, codeWindow, newEphemeralKey, newNonce, offerTopic, PAIRING_CODE_TTL_MS, PAIRING_ROOT, PAIRING_VERSION } from '../../src/protocol/pairing';
import { captureLog } from '../lambda/helpers';
import { freePort, mosquittoPath, stopProcess, waitForPort } from '../support/brokers';
import { onTeardown } from '../support/teardown';

jest.setTimeout(30_000);

const USERS = { 'winddown-skill': 'skill-secret', alpha: 'alpha-secret', bravo: 'bravo-secret' } as const;
type User = keyof typeof USERS;

async function mosquittoWithAcl(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'winddown-acl-'));
  onTeardown(() => rmSync(dir, { recursive: true, force: true }));
  const passwords = path.join(dir, 'passwords');
  for (const [user, password] of Object.entries(USERS)) {
    const made = spawnSync('mosquitto_passwd', ['-b', ...(user === 'winddown-skill' ? ['-c'] : []), passwords, user, password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
  }
  const acl = path.join(dir, 'acl');
  writeFileSync(acl, ['user winddown-skill', 'topic readwrite winddown/#', '', 'pattern write winddown/pairing/%u/#', 'pattern readwrite winddown/%u/#', ''].join('\n'));
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(conf, ['persistence false', 'log_dest none', `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwords}`, `acl_file ${acl}`, ''].join('\n'));
  // Started as root, Mosquitto reads its files as its own user: throwaway test files, readable.
  chmodSync(dir, 0o755);
  for (const file of [passwords, acl, conf]) chmodSync(file, 0o644);
  let stderr = '';
  const proc = spawn(mosquittoPath as string, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onTeardown(() => stopProcess(proc));
  await waitForPort(port, proc, () => stderr);
  return `mqtt://127.0.0.1:${port}`;
}

async function as(url: string, user: User): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { clientId: `${user}-${Math.random().toString(36).slice(2, 8)}`, username: user, password: USERS[user], reconnectPeriod: 0 });
  onTeardown(() => client.endAsync(true));
  return client;
}

/** What a user sees retained under the pairing topics. */
async function offersSeenBy(url: string, user: User): Promise<string[]> {
  const client = await as(url, user);
  const seen: string[] = [];
  client.on('message', (topic, payload) => void (payload.length > 0 && seen.push(topic)));
  await client.subscribeAsync(`${PAIRING_ROOT}/#`, { qos: 1 });
  await client.unsubscribeAsync(`${PAIRING_ROOT}/barrier`);
  return seen;
}

(mosquittoPath ? describe : describe.skip)('pairing on Mosquitto with per-home ACLs', () => {
  test('a foreign home can neither plant an offer under another home nor read its offers; the real home pairs', async () => {
    const url = await mosquittoWithAcl();
    const code = '482915307';
    const tag = await codeTag(code, codeWindow(Date.now()));
    const planted = JSON.stringify({ v: PAIRING_VERSION, homeId: 'alpha', pub: newEphemeralKey().pub, expiresAt: Date.now() + PAIRING_CODE_TTL_MS, nonce: newNonce() });

    // bravo writes a retained offer claiming to be alpha, under alpha's topic, and one under its own id that names alpha.
    const bravo = await as(url, 'bravo');
    await bravo.publishAsync(offerTopic('alpha', tag), planted, { qos: 1, retain: true });
    await bravo.publishAsync(offerTopic('bravo', tag), planted, { qos: 1, retain: true });
    // The skill sees bravo's own topic only, and the desk ignores an offer whose home id is not its topic's.
    expect(await offersSeenBy(url, 'winddown-skill')).toEqual([offerTopic('bravo', tag)]);
    const log = captureLog();
    const ledger = new MemoryLedger();
    const desk = mqttPairingDesk({ settings: { url, username: 'winddown-skill', password: USERS['winddown-skill'] }, timeoutMs: 5000, log });
    const request = { code, account: 'aaaaaaaa', claim: (id: string) => ledger.claim(id), claimed: (ids: readonly string[]) => ledger.claimed(ids) };
    expect(await desk.pair({ ...request, now: Date.now() })).toEqual({ kind: 'unknown' });
    expect(log.lines.map((l) => l.event)).toContain('pairing.foreign-offer');
    await bravo.publishAsync(offerTopic('bravo', tag), '', { qos: 1, retain: true });

    // alpha offers for real; bravo cannot read it, the skill can, and pairs it.
    const mqttSettings = { url, username: 'alpha', password: USERS.alpha, clientId: 'alpha' } as BridgeMqttSettings;
    const outcome = pairHome({ mqtt: mqttSettings, homeId: 'alpha', code, out: () => undefined, signals: null });
    for (let tries = 0; (await offersSeenBy(url, 'winddown-skill')).length === 0; tries++) {
      if (tries > 100) throw new Error('alpha never offered');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await offersSeenBy(url, 'bravo')).toEqual([]);
    const paired = await desk.pair({ ...request, now: Date.now() });
    expect(paired.kind).toBe('paired');
    const done = await outcome;
    expect(done.kind).toBe('paired');
    expect(paired.kind === 'paired' && done.kind === 'paired' && paired.home.key === done.pairing.key && paired.home.keyId === done.pairing.id).toBe(true);
    expect(await offersSeenBy(url, 'winddown-skill')).toEqual([]);
  });
});
