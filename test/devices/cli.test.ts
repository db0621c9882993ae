import { buildProgram } from '../../devices/cli';
import type { CliIo } from '../../devices/cli';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import { homeKeyWeakness } from '../../src/protocol/signing';
import { startEmulator } from '../support/hue';
import { tempDir } from './helpers';

function io(overrides: Partial<CliIo> = {}): { io: Partial<CliIo>; out: string[]; err: string[]; codes: number[] } {
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  return { out, err, codes, io: { out: (t) => void out.push(t), err: (t) => void err.push(t), fail: (c) => void codes.push(c), env: {}, ...overrides } };
}

describe('winddown CLI', () => {
  let emulator: HueEmulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  test('hue pair waits for the link button (error 101), then prints the settings to use', async () => {
    let waits = 0;
    const t = io({
      sleep: () => {
        waits += 1;
        emulator.pressLinkButton(); // the person presses it while the CLI waits
        return Promise.resolve();
      },
    });
    await buildProgram(t.io).parseAsync(['node', 'winddown', 'hue', 'pair', '--url', emulator.url]);
    expect(waits).toBe(1);
    expect(t.codes).toEqual([]);
    expect(t.out).toContain(`WINDDOWN_HUE_URL=${emulator.url}`);
    const user = t.out.find((l) => l.startsWith('WINDDOWN_HUE_USERNAME='))?.split('=')[1];
    expect(user && emulator.usernames.has(user)).toBe(true);
    expect(t.out).toContain('WINDDOWN_HUE_GROUP="Bedroom"');
  });

  test('hue lights lists lights and rooms', async () => {
    const t = io({ env: { WINDDOWN_HUE_URL: emulator.url, WINDDOWN_HUE_USERNAME: emulator.username } });
    await buildProgram(t.io).parseAsync(['node', 'winddown', 'hue', 'lights']);
    expect(t.out.join('\n')).toMatch(/1 {2}Bedside left/);
    expect(t.out.join('\n')).toMatch(/1 {2}Bedroom {2}\(Room; lights 1, 2, 3\)/);
  });

  test('bridge with bad settings prints every problem by key and exits 2 without starting', async () => {
    const t = io({ env: { WINDDOWN_MQTT_URL: 'http://nope', WINDDOWN_DIFFUSER: 'tasmota:', WINDDOWN_DIFFUSER_MAX_MINUTES: '0' } });
    await buildProgram(t.io).parseAsync(['node', 'winddown', 'bridge']);
    expect(t.codes).toEqual([2]);
    const text = t.err.join('\n');
    for (const key of ['WINDDOWN_MQTT_URL', 'WINDDOWN_HOME_ID', 'WINDDOWN_DIFFUSER', 'WINDDOWN_DIFFUSER_MAX_MINUTES']) expect(text).toContain(`${key}:`);
  });

  test('key prints a new 64-hex-digit home key each time, and where to set it', async () => {
    const t = io();
    await buildProgram(t.io).parseAsync(['node', 'winddown', 'key']);
    await buildProgram(t.io).parseAsync(['node', 'winddown', 'key']);
    expect(t.out).toHaveLength(2);
    for (const key of t.out) expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const key of t.out) expect(homeKeyWeakness(Buffer.from(key, 'hex'))).toBeNull();
    expect(t.out[0]).not.toBe(t.out[1]);
    expect(t.err[0]).toMatch(/WINDDOWN_HOME_KEY on the skill .* and on the bridge/);
    expect(t.codes).toEqual([]);
  });

  test('pair with a weak WINDDOWN_HOME_KEY stops before connecting, names it, and stores no weak key', async () => {
    const state = tempDir('winddown-pair-weak-');
    try {
      const t = io({ env: { WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:1', WINDDOWN_STATE_DIR: state.dir, WINDDOWN_HOME_KEY: '00'.repeat(32) } });
      await buildProgram(t.io).parseAsync(['node', 'winddown', 'pair']);
      expect(t.codes).toEqual([2]);
      expect(t.err.join('\n')).toContain('WINDDOWN_HOME_KEY: expected a key made at random (`npx winddown key` prints one), not one byte repeated');
      const stored = JSON.parse(readFileSync(path.join(state.dir, 'identity.json'), 'utf8')) as { key: string };
      expect(homeKeyWeakness(Buffer.from(stored.key, 'hex'))).toBeNull();
    } finally {
      state.remove();
    }
  });

  test('other modules can add commands to the program', () => {
    const program = buildProgram(io().io);
    program.command('say <text>');
    expect(program.commands.map((c) => c.name())).toEqual(['bridge', 'pair', 'pairings', 'unpair', 'key', 'hue', 'say']);
  });
});
