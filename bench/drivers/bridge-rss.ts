/**
 * The bridge's memory over a whole session, faster than real time: the bridge runs on a fake clock
 * that jumps from one breath step to the next as soon as the lamp has taken the previous one, so an
 * hour of breathing passes in about a minute with every step really sent over HTTP. RSS (after a
 * full GC) is sampled every session minute.
 *
 *   node --expose-gc bridge-rss.cjs <broker-url> <hue-url> <hue-username> <minutes>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import pino from 'pino';
import { startBridge } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { FakeClock } from '../../test/support/fake-clock';
import { homeTopics } from '../../src/protocol/topics';
import { benchKeyHex, sessionStart, signedFor } from '../lib/commands';
import { scriptById } from '../../src/content/scripts';
import { choreograph, compilePlan } from '../../src/engine';

const HOME = 'bench-rss';

function sample(minute: number): { minute: number; rss: number; heapUsed: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { minute, rss, heapUsed };
}

async function main(): Promise<void> {
  const [brokerUrl, hueUrl, username, minutesArg] = process.argv.slice(2);
  if (!brokerUrl || !hueUrl || !username) throw new Error('usage: bridge-rss <broker-url> <hue-url> <hue-username> <minutes>');
  const minutes = Number(minutesArg ?? '60');
  const stateDir = mkdtempSync(join(tmpdir(), 'winddown-bench-rss-'));
  const clock = new FakeClock(Date.now());
  const config = loadConfig({
    env: { WINDDOWN_MQTT_URL: brokerUrl, WINDDOWN_HOME_ID: HOME, WINDDOWN_HOME_KEY: benchKeyHex(HOME), WINDDOWN_HUE_URL: hueUrl, WINDDOWN_HUE_USERNAME: username, WINDDOWN_HUE_LIGHTS: '1', WINDDOWN_STATE_DIR: stateDir },
  });
  // Logs at info, as a bridge runs, into a sink: the figure is the bridge's memory, not a pipe's.
  const log = pino({ level: 'info' }, { write: () => undefined });
  const bridge = await startBridge(config, { clock, log });
  await bridge.connected;
  let sent = 0;
  bridge.events.on('lights.state', () => {
    sent += 1;
  });
  const skill = await connectAsync(brokerUrl, { clientId: 'bench-rss-skill', reconnectPeriod: 0 });
  const script = scriptById('paced-breathing');
  if (!script) throw new Error('paced-breathing missing');
  const lights = choreograph(compilePlan(script, { minutes }));
  const startAt = clock.now() + 1000;
  const t0 = Date.now();
  let accepted = false;
  bridge.events.on('command', (command) => {
    if (command.type === 'session.start') accepted = true;
  });
  await skill.publishAsync(homeTopics(HOME).command, signedFor(sessionStart(HOME, clock.now(), startAt, lights)), { qos: 1 });
  for (let i = 0; i < 2000 && !accepted; i++) await new Promise((r) => setTimeout(r, 5));

  const series: { minute: number; rss: number; heapUsed: number }[] = [];
  let nextMinute = 1;
  let stalled = 0;
  for (const [atMs] of lights.steps) {
    while (atMs >= nextMinute * 60_000) {
      series.push(sample(nextMinute));
      nextMinute += 1;
    }
    const before = sent;
    await clock.advanceTo(startAt + atMs);
    let waited = 0;
    while (sent === before && waited < 3000) {
      await new Promise((r) => setTimeout(r, 1));
      waited += 1;
    }
    if (sent === before) stalled += 1;
  }
  // The end: the fade-off and the idle state, then the last sample.
  await clock.advanceTo(startAt + lights.totalMs + lights.endTransitionMs + 1000);
  await new Promise((r) => setTimeout(r, 200));
  series.push(sample(Math.ceil(lights.totalMs / 60_000)));
  const wallMs = Date.now() - t0;
  await skill.endAsync(true);
  await bridge.stop({ graceful: false });
  rmSync(stateDir, { recursive: true, force: true });
  process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ series, steps: lights.steps.length, sent, stalled, wallMs })}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
