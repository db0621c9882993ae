/**
 * What `winddown start` writes: one readable line per event for a person at a terminal, JSON lines when
 * piped or asked for, the skill's events in the same logger as the bridge's, and no warning about the
 * local run's own Hue simulator (a real bridge over plain HTTP still gets one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../devices/config';
import { HueLights } from '../../devices/lights/hue/hue';
import { chooseLogFormat, createLogger } from '../../devices/process/log';
import { createHandler } from '../../lambda/index';
import { startLocalSystem } from '../../local/system';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { until } from '../support/until';
import { startEmulator } from '../support/hue';

/** A logger's output, line by line. */
function capture(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

/** The local run starts real processes' worth of work (a broker, a bridge, the skill): give it time. */
const SLOW_MS = 20_000;

describe('the log format', () => {
  it('is readable at a terminal, JSON when piped, and whatever WINDDOWN_LOG_FORMAT asks for', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('JSON', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
    expect(() => chooseLogFormat('yaml', true)).toThrow('WINDDOWN_LOG_FORMAT: expected json, pretty or auto, got "yaml"');
  });

  it('writes one line per event: time, scope, message and details, warnings marked, secrets redacted', () => {
    const out = capture();
    const log = createLogger({ format: 'pretty', destination: out.stream, colorize: false });
    const at = new Date('2026-12-05T01:34:49.000Z');
    log.child({ part: 'bridge' }).child({ scope: 'diffuser' }).info({ minutes: 30, offAt: at.toISOString(), reason: 'voice' }, 'diffuser on');
    log.child({ scope: 'hue' }).warn({ lights: [1, 2, 3], hue: { url: 'http://192.168.1.20', username: 'hue-secret-user' } }, 'something to know');
    log.child({ scope: 'skill' }).info({}, 'state.saved');
    log.error({ err: new Error('it broke') }, 'request failed');
    const lines = out.lines();
    expect(lines).toHaveLength(4);
    const offAt = at.toLocaleTimeString('en-GB', { hour12: false });
    expect(lines[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  diffuser  diffuser on · minutes 30, offAt ${offAt}, reason voice$`));
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d {2}hue {7}warning: something to know · lights 1,2,3, hue\.url http:\/\/192\.168\.1\.20, hue\.username \[redacted\]$/);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d {2}skill {5}state\.saved$/);
    expect(lines[3]).toMatch(/^\d\d:\d\d:\d\d {12}error: request failed · err it broke$/);
    expect(lines.join('\n')).not.toContain('hue-secret-user');
  });

  it('writes JSON lines, redacted the same way, for files and pipes', () => {
    const out = capture();
    const log = createLogger({ format: 'json', destination: out.stream });
    log.child({ scope: 'hue' }).info({ hue: { username: 'hue-secret-user' } }, 'connected');
    const [line] = out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ level: 30, name: 'winddown', scope: 'hue', msg: 'connected', hue: { username: '[redacted]' } });
  });
});

describe('the local run in one logger', () => {
  it('logs the skill and the bridge in one style, and says nothing about plain HTTP to its own simulator', async () => {
    const out = capture();
    const stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-terminal-'));
    const system = await startLocalSystem({ env: { WINDDOWN_HOME_ID: 'terminal-test', TZ: 'UTC' }, port: 0, stateDir, log: createLogger({ format: 'json', destination: out.stream }), createHandler });
    try {
      system.hub.addTurn(await system.conversation.say('start wind down'));
      const events = (): Record<string, unknown>[] => out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
      await until(() => events().some((e) => e.msg === 'connected to Hue bridge'), 'the bridge reaching the simulated Hue bridge', SLOW_MS);
      const skill = events().filter((e) => e.scope === 'skill');
      expect(skill.map((e) => e.msg)).toEqual(expect.arrayContaining(['request', 'session.part']));
      // The same pino lines as the bridge's: numeric level, time, the logger's name.
      for (const e of skill) expect(e).toMatchObject({ level: expect.any(Number) as number, time: expect.any(Number) as number, name: 'winddown' });
      expect(out.lines().filter((l) => l.includes('plain HTTP'))).toEqual([]);
    } finally {
      await system.stop();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 40_000);

  it('still warns about plain HTTP to a Hue bridge that is not the simulator', async () => {
    const emulator = await startEmulator();
    const out = capture();
    const config = loadConfig({ env: { WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1883', WINDDOWN_HOME_ID: 'terminal-test', WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: emulator.username, WINDDOWN_HUE_LIGHTS: '1' } });
    const lights = new HueLights({ settings: config.hue!, log: createLogger({ format: 'json', destination: out.stream }) });
    await lights.capture();
    expect(out.lines().filter((l) => l.includes('plain HTTP to the Hue bridge'))).toHaveLength(1);
  });
});
