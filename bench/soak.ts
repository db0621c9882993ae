/**
 * `npm run soak`: many homes on one broker for a bounded time. Each home is a real bridge (200 of them
 * in a second process) driving its own lamp on one Hue emulator and its own Tasmota diffuser plug,
 * while the skill's side starts and stops sessions, switches diffusers and mixes in malformed,
 * foreign, stale, oversized and duplicate messages, and unsigned ones, ones signed with another
 * home's key and real commands of another home copied to this one's topic (each home has its own key). Then it reports what was lost, duplicated or late:
 * every breath step due, every end of a session (the fade-off), every diffuser switch, every command
 * the bridges should have accepted or dropped.
 *
 * Pairing churn: every tenth home, meanwhile, pairs by voice again and again through the real flow
 * (`winddown pair`'s offer, the skill's desk and ledger, the sealed confirm, the pairing written to the
 * home's identity file while its bridge runs), signs its traffic with that pairing's key while it holds
 * it, and is unpaired (`winddown unpair <id>`); once its bridge has said the pairing is revoked, a command
 * signed with the revoked key is sent, and must be dropped (`revoked`), while the traffic goes on with
 * the home's own key. Nothing may be lost across the changes.
 *
 *   npm run soak              200 homes, 180 s of traffic
 *   npm run soak:smoke        20 homes, 20 s (CI)
 *   node bench/run.mjs soak --homes=50 --seconds=60 --seed=7 --churn-every=0   (no pairing churn)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addPairing, createIdentity, revokePairings } from '../devices/pairing/identity';
import { pairHome } from '../devices/pairing/pair';
import { mqttPairingDesk } from '../lambda/pairing-desk';
import { MemoryLedger, type PairingLedger } from '../lambda/pairing-ledger';
import { connectAsync, type MqttClient } from 'mqtt';
import { SimulatedTasmota } from '../local/simulators/plugs';
import { HueEmulator } from '../local/simulators/hue-emulator';
import type { Command, SessionStart } from '../src/protocol/messages';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../src/protocol/messages';
import { homeTopics } from '../src/protocol/topics';
import { startAedes } from '../local/broker';
import { benchKey, benchKeyHex, diffuserSet, hourOfBreathing, sessionStart, sessionStop, signedFor } from './lib/commands';
import { signCommand, signText } from '../src/protocol/signing';
import { sleep } from './lib/home';
import { driverPath, ROOT } from './lib/proc';
import { environment } from './lib/report';
import { analyse, LATE_MS, type HomeRecord, type SessionRecord } from './lib/soak-analysis';

const PREFIX = 'soak';

type NoiseKind = 'malformed' | 'version' | 'schema' | 'other-home' | 'stale' | 'oversized' | 'signature' | 'duplicate' | 'revoked';
/** Every how-many-th home pairs, unpairs and pairs again while its traffic flows (`--churn-every=0`: none). */
const CHURN_EVERY = 10;
const NOISE: readonly NoiseKind[] = ['malformed', 'version', 'schema', 'other-home', 'stale', 'oversized', 'signature'];

/** Deterministic pseudo-random numbers (mulberry32), so a soak can be run again as it was. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function arg(name: string, fallback: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`));
  return raw ? Number(raw.slice(name.length + 3)) : fallback;
}

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const homes = arg('homes', smoke ? 20 : 200);
  const seconds = arg('seconds', smoke ? 20 : 180);
  const seed = arg('seed', 1);
  const churnEvery = arg('churn-every', CHURN_EVERY);
  const rand = random(seed);
  const started = Date.now();
  process.stderr.write(`soak: ${homes} homes, ${seconds} s of traffic, seed ${seed}\n`);

  const broker = await startAedes();
  const emulator = new HueEmulator({ lamps: Array.from({ length: homes }, (_, i) => `Lamp ${i + 1}`) });
  await emulator.start();
  const plugs = Array.from({ length: homes }, (_, i) => new SimulatedTasmota(`${PREFIX}_${i}`, broker.url));
  await Promise.all(plugs.map((p) => p.start()));

  // Each home's state directory, with its identity, where pairings are written while its bridge runs.
  const stateRoot = mkdtempSync(join(tmpdir(), 'winddown-soak-state-'));
  for (let i = 0; i < homes; i++) createIdentity(join(stateRoot, `${PREFIX}-${i}`), { homeId: `${PREFIX}-${i}`, key: benchKeyHex(`${PREFIX}-${i}`) });
  const child = spawn(process.execPath, [driverPath('bridges'), broker.url, emulator.url, emulator.username, String(homes), PREFIX, stateRoot], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_HUE_API_USE_INSECURE_CONNECTION: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let childOut = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (childOut += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await Promise.race([
    (async () => {
      while (!childOut.includes('BENCH_READY')) await sleep(20);
      return true;
    })(),
    exited.then(() => false),
    sleep(120_000).then(() => false),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error('the bridges did not start');
  }
  // Each fresh bridge tells its plug OFF as it starts (a crash may have left it on); the traffic waits
  // for those, and the report counts them in a row of their own.
  const startOffBy = Date.now() + 10_000;
  while (plugs.some((p) => p.received.length === 0) && Date.now() < startOffBy) await sleep(20);
  process.stderr.write(`soak: ${homes} bridges up in ${((Date.now() - started) / 1000).toFixed(1)} s; traffic for ${seconds} s…\n`);

  // The skill's side: a few clients, as several Lambda containers would be.
  const skills: MqttClient[] = [];
  for (let k = 0; k < 4; k++) skills.push(await connectAsync(broker.url, { clientId: `soak-skill-${k}`, reconnectPeriod: 0 }));
  const lights = { ...hourOfBreathing(), end: 'fade-off' as const };
  const trafficEnd = Date.now() + seconds * 1000;
  const records: HomeRecord[] = [];

  // The skill's pairing desk and ledger, and what each home's bridge has said it revoked.
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const desk = mqttPairingDesk({ settings: { url: broker.url }, timeoutMs: 5000, log: quiet });
  const ledger: PairingLedger = new MemoryLedger();
  const revokedSaid = new Map<string, string[]>();
  skills[0]!.on('message', (topic, payload) => {
    const homeId = topic.split('/')[1] ?? '';
    if (!topic.endsWith('/state/pairings')) return;
    try {
      revokedSaid.set(homeId, (JSON.parse(payload.toString()) as { revoked: string[] }).revoked);
    } catch {
      revokedSaid.delete(homeId);
    }
  });
  await skills[0]!.subscribeAsync('winddown/+/state/pairings', { qos: 1 });
  const churn = { paired: 0, revoked: 0, signedWithPairing: 0, failed: [] as string[] };

  /** One pairing through the real flow: the home's offer, the code said, the sealed key written to its identity. */
  const pairOnce = async (homeId: string, account: string): Promise<{ id: string; key: Buffer }> => {
    let said: (code: string) => void = () => undefined;
    const spoken = new Promise<string>((resolve) => (said = resolve));
    const outcome = pairHome({
      mqtt: { url: broker.url, clientId: `soak-pair-${homeId}` },
      homeId,
      signals: null,
      out: (line) => {
        const m = /code (\d{3}) (\d{3}) (\d{3})/.exec(line);
        if (m) said(`${m[1]}${m[2]}${m[3]}`);
      },
    });
    const code = await Promise.race([spoken, outcome.then(() => '')]);
    const claim = await desk.pair({ code, now: Date.now(), account, claim: (id) => ledger.claim(id, account, Date.now()), claimed: (ids) => ledger.claimed(ids) });
    const done = await outcome;
    if (claim.kind !== 'paired' || done.kind !== 'paired') throw new Error(`${homeId}: pairing ${claim.kind}/${done.kind}`);
    addPairing(join(stateRoot, homeId), done.pairing);
    return { id: done.pairing.id, key: Buffer.from(done.pairing.key, 'hex') };
  };

  const runHome = async (index: number): Promise<void> => {
    const homeId = `${PREFIX}-${index}`;
    const topic = homeTopics(homeId).command;
    const skill = skills[index % skills.length]!;
    const record: HomeRecord = { index, homeId, sessions: [], diffuser: [], published: {}, noise: {} };
    records.push(record);
    let lastValid: string | null = null;
    let diffuserOn = false;
    /** The pairing this home's traffic is signed with, while it holds one. */
    let pairing: { id: string; key: Buffer } | null = null;
    const send = async (payload: string): Promise<void> => {
      await skill.publishAsync(topic, payload, { qos: 1 });
    };
    const sendCommand = async (command: Command): Promise<void> => {
      if (pairing) churn.signedWithPairing++;
      const payload = pairing ? signCommand(pairing.key, command, pairing.id) : signedFor(command);
      lastValid = payload;
      record.published[command.type] = (record.published[command.type] ?? 0) + 1;
      await send(payload);
    };
    const key = benchKey(homeId);
    const neighbour = `${PREFIX}-${(index + 1) % homes}`;
    const sendNoise = async (kind: NoiseKind): Promise<void> => {
      const now = Date.now();
      let payload: string;
      // Signed with this home's key unless the signature is what is wrong: each is dropped for its own reason.
      switch (kind) {
        case 'malformed':
          payload = signText(key, '{"v":1,"type":"session.start",');
          break;
        case 'version':
          payload = signCommand(key, { ...diffuserSet(homeId, now, true, 5), v: PROTOCOL_VERSION + 1 });
          break;
        case 'schema':
          payload = signCommand(key, { ...sessionStop(homeId, now), reason: 'explode' });
          break;
        case 'other-home':
          payload = signCommand(key, diffuserSet(`${homeId}-next-door`, now, true, 5));
          break;
        case 'stale':
          payload = signCommand(key, diffuserSet(homeId, now - 10 * 60_000, true, 5));
          break;
        case 'oversized':
          payload = signCommand(key, { ...sessionStop(homeId, now), pad: 'x'.repeat(MAX_MESSAGE_BYTES) });
          break;
        case 'signature': {
          // A fresh, valid command for this home that nobody with its key signed: unsigned, signed with the
          // neighbour's key, or the neighbour's own real command copied to this home's topic.
          const r = rand();
          const command = diffuserSet(homeId, now, true, 5);
          if (r < 1 / 3) payload = JSON.stringify(command);
          else if (r < 2 / 3) payload = signCommand(benchKey(neighbour), command);
          else payload = signedFor(diffuserSet(neighbour, now, true, 5));
          break;
        }
        case 'duplicate':
          if (lastValid === null) return;
          payload = lastValid;
          break;
        case 'revoked':
          // Sent only by the churn, below: a command signed with a pairing this home has revoked.
          return;
      }
      record.noise[kind] = (record.noise[kind] ?? 0) + 1;
      await send(payload);
    };

    const churning = async (): Promise<void> => {
      const stateDir = join(stateRoot, homeId);
      await sleep(1000 + rand() * 4000);
      while (Date.now() < trafficEnd - 15_000) {
        const held = await pairOnce(homeId, `acct-${index}`);
        churn.paired++;
        // `winddown pair` has written it; the bridge reads it within moments, and the traffic moves to it.
        await sleep(1000);
        pairing = held;
        await sleep(15_000 + rand() * 15_000);
        // Back to the home's own key first, so nothing in flight is signed with the key about to go, and
        // no replay of a command signed with it counts as a duplicate (it is dropped as revoked).
        pairing = null;
        lastValid = null;
        await sleep(300);
        revokePairings(stateDir, { id: held.id });
        churn.revoked++;
        const said = Date.now() + 10_000;
        while (!(revokedSaid.get(homeId) ?? []).includes(held.id) && Date.now() < said) await sleep(20);
        if (!(revokedSaid.get(homeId) ?? []).includes(held.id)) churn.failed.push(`${homeId}: the bridge never said ${held.id} was revoked`);
        record.noise.revoked = (record.noise.revoked ?? 0) + 1;
        await send(signCommand(held.key, diffuserSet(homeId, Date.now(), true, 5), held.id));
        await sleep(3000 + rand() * 5000);
      }
    };
    const churned = churnEvery > 0 && index % churnEvery === 0 ? churning().catch((error: unknown) => void churn.failed.push(String(error))) : Promise.resolve();

    await sleep(rand() * 5000);
    while (Date.now() < trafficEnd - 12_000) {
      const fromMs = Math.round((10 + rand() * 40) * 600) * 100;
      const completes = rand() < 0.3;
      const durationMs = Math.round(8000 + rand() * 25_000);
      const now = Date.now();
      const startAt = now + 1500;
      const message: SessionStart = sessionStart(homeId, now, startAt, lights, completes ? { fromMs, untilMs: fromMs + durationMs, final: true } : { fromMs });
      const session: SessionRecord = { startAt, base: startAt - fromMs, steps: message.lights.steps, cutoff: Infinity, how: completes ? 'completed' : 'stopped' };
      record.sessions.push(session);
      await sendCommand(message);
      const ends = startAt + durationMs;
      while (Date.now() < ends - 1500) {
        await sleep(Math.min(1000 + rand() * 4000, Math.max(0, ends - 1500 - Date.now())));
        const r = rand();
        if (r < 0.3) await sendNoise(NOISE[Math.floor(rand() * NOISE.length)]!);
        else if (r < 0.45) await sendNoise('duplicate');
        else if (r < 0.6) {
          diffuserOn = !diffuserOn;
          record.diffuser.push({ on: diffuserOn, sentAt: Date.now() });
          await sendCommand(diffuserSet(homeId, Date.now(), diffuserOn, diffuserOn ? 30 : undefined));
        }
      }
      if (completes) {
        session.cutoff = session.base + fromMs + durationMs;
        await sleep(Math.max(0, session.cutoff - Date.now()) + 1000);
      } else {
        await sleep(Math.max(0, ends - Date.now()));
        session.cutoff = Date.now();
        await sendCommand(sessionStop(homeId, session.cutoff));
      }
      await sleep(2000 + rand() * 3000);
    }
    await churned;
  };
  await Promise.all(Array.from({ length: homes }, (_, i) => runHome(i)));
  // Let the last fade-offs and plug switches land, then take what the devices saw.
  await sleep(3000);
  const commands = [...emulator.commands];
  const plugReceived = plugs.map((p) => [...p.received]);

  child.stdin.end();
  await Promise.race([exited, sleep(30_000)]);
  const line = childOut.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error('the bridges did not report');
  const bridgeReport = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
    counts: { accepted: Record<string, number>; dropped: Record<string, number> }[];
    logged: Record<string, number>;
    rss: number;
  };
  for (const s of skills) await s.endAsync(true);
  await Promise.all(plugs.map((p) => p.stop()));
  await emulator.stop();
  await broker.close();
  rmSync(stateRoot, { recursive: true, force: true });

  const report = analyse(records, commands, plugReceived, bridgeReport.counts);
  const table = [
    ['what', 'expected', 'seen', 'lost', 'duplicated', `late (>${LATE_MS} ms)`, 'p99 delay', 'max delay'],
    ...report.rows.map((r) => [r.what, String(r.expected), String(r.seen), String(r.lost), String(r.duplicated), r.late === null ? '—' : String(r.late), fmt(r.p99), fmt(r.max)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const out = table.map((row) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`);
  out.splice(1, 0, `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  process.stdout.write(`\nSoak: ${homes} homes on one broker, ${seconds} s of traffic (seed ${seed}), ${report.published} commands and ${report.noise} bad or repeated messages published\n\n`);
  process.stdout.write(`${out.join('\n')}\n\n`);
  process.stdout.write(`Dropped by the bridges, by reason (expected → counted): ${Object.entries(report.drops).map(([k, v]) => `${k} ${v.expected}→${v.counted}`).join(', ')}\n`);
  const revokedDrops = report.drops.revoked ?? { expected: 0, counted: 0 };
  process.stdout.write(
    `Pairing churn (every ${churnEvery}th home): ${churn.paired} pairings through the real offer, seal and confirm, ${churn.revoked} revoked while their bridges ran; ${churn.signedWithPairing} commands signed with a pairing's key; commands signed with a revoked key dropped as revoked: ${revokedDrops.expected} sent → ${revokedDrops.counted} dropped${churn.failed.length ? `; failures: ${churn.failed.join('; ')}` : ''}\n`,
  );
  process.stdout.write(`Bridges' process: ${Math.round(bridgeReport.rss / 2 ** 20)} MB RSS for ${homes} bridges\n`);
  const logged = Object.entries(bridgeReport.logged).sort((a, b) => b[1] - a[1]);
  process.stdout.write(`Warnings and errors the bridges logged: ${logged.length === 0 ? 'none' : ''}\n${logged.map(([k, v]) => `  ${v} × ${k}`).join('\n')}\n`);
  for (const note of report.notes) process.stdout.write(`- ${note}\n`);
  const problems =
    report.rows.reduce((n, r) => n + r.lost + r.duplicated, 0) + Object.values(report.drops).reduce((n, d) => n + Math.abs(d.expected - d.counted), 0) + churn.failed.length;
  const late = report.rows.reduce((n, r) => n + (r.late ?? 0), 0);
  process.stdout.write(`\nSoak ${problems === 0 ? 'PASS' : 'FAIL'}: ${problems} lost, duplicated or mis-dropped; ${late} late\n`);
  if (!smoke) {
    const path = join(ROOT, 'bench', 'soak-results.json');
    writeFileSync(path, `${JSON.stringify({ generatedAt: new Date().toISOString(), homes, seconds, seed, durationS: Math.round((Date.now() - started) / 1000), environment: environment(ROOT), ...report, churn, bridgeRssMb: Math.round(bridgeReport.rss / 2 ** 20), logged: bridgeReport.logged }, null, 2)}\n`);
    process.stdout.write(`wrote ${path}\n`);
  }
  process.exit(problems === 0 ? 0 : 1);
}

function fmt(ms: number | null): string {
  return ms === null ? '—' : `${Math.round(ms)} ms`;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
