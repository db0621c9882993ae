/**
 * The bridge as a household runs it: `node dist/cli/winddown.js bridge` in its own process, with a Hue
 * bridge (the emulator) and a diffuser plug configured, breathing a session in real time. Its resident
 * memory is read from /proc while it works, the way a Raspberry Pi's owner would see it in `top`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { HueEmulator } from '../../local/simulators/hue-emulator';
import { homeTopics } from '../../src/protocol/topics';
import { startAedes } from '../../local/broker';
import { benchKeyHex, breathingSession, diffuserSet, sessionStart, signedFor } from '../lib/commands';
import { sleep, until } from '../lib/home';
import { ROOT } from '../lib/proc';
import { figure, skipped, type Figure } from '../lib/report';

export const BRIDGE_RSS_LIMIT_MB = 70;
const HOME = 'bench-process';

/** Resident set size of a process in MB, as the kernel counts it. */
function rssMb(pid: number): number | null {
  try {
    const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line?.[1] ? Number(line[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export async function bridgeProcessRss(seconds: number): Promise<Figure> {
  const cli = join(ROOT, 'dist/cli/winddown.js');
  const name = 'bridge process RSS, `winddown bridge` with Hue and a plug';
  const target = `≤ ${BRIDGE_RSS_LIMIT_MB} MB`;
  if (!existsSync(cli)) return skipped('bridge.process.rss', name, 'dist/cli/winddown.js not built: run npm run build', target);
  if (!existsSync('/proc/self/status')) return skipped('bridge.process.rss', name, 'no /proc on this system', target);
  const broker = await startAedes();
  const emulator = new HueEmulator({ lamps: ['Lamp 1', 'Lamp 2'] });
  await emulator.start();
  const stateDir = mkdtempSync(join(tmpdir(), 'winddown-bench-process-'));
  const child = spawn(process.execPath, [cli, 'bridge'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WINDDOWN_MQTT_URL: broker.url,
      WINDDOWN_HOME_ID: HOME,
      WINDDOWN_HOME_KEY: benchKeyHex(HOME),
      WINDDOWN_HUE_URL: emulator.url,
      WINDDOWN_HUE_USERNAME: emulator.username,
      WINDDOWN_HUE_LIGHTS: '1,2',
      WINDDOWN_DIFFUSER: 'tasmota:bench-diffuser',
      WINDDOWN_STATE_DIR: stateDir,
      WINDDOWN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const skill = await connectAsync(broker.url, { clientId: 'bench-process-skill', reconnectPeriod: 0 });
  try {
    const topics = homeTopics(HOME);
    let online = false;
    let lampCommands = 0;
    skill.on('message', (topic, payload) => {
      if (topic === topics.availability && payload.toString() === 'online') online = true;
    });
    await skill.subscribeAsync(topics.availability);
    if (!(await until(() => online, 15_000))) throw new Error(`the bridge did not come online: ${stderr}`);
    const samples: number[] = [];
    const sample = (): void => {
      const mb = rssMb(child.pid ?? -1);
      if (mb !== null) samples.push(mb);
    };
    sample();
    const now = Date.now();
    await skill.publishAsync(topics.command, signedFor(diffuserSet(HOME, now, true, 30)), { qos: 1 });
    // Joined 90 s in, past the spoken introduction, so the whole run is breathing.
    await skill.publishAsync(topics.command, signedFor(sessionStart(HOME, now, now - 90_000, breathingSession(10))), { qos: 1 });
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      await sleep(500);
      sample();
    }
    lampCommands = emulator.commands.length;
    const peak = Math.max(...samples);
    const last = samples.at(-1) ?? peak;
    return figure({
      id: 'bridge.process.rss',
      figure: name,
      unit: 'MB',
      value: Math.round(peak * 10) / 10,
      n: samples.length,
      target: { on: 'value', max: BRIDGE_RSS_LIMIT_MB },
      notes: `peak VmRSS over ${seconds} s of breathing (${lampCommands} Hue commands, diffuser on), last ${last.toFixed(1)} MB; a bare node is about 40 MB`,
      ...(lampCommands === 0 ? { status: 'FAIL' as const } : {}),
    });
  } finally {
    await skill.endAsync(true);
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
    await emulator.stop();
    await broker.close();
  }
}
