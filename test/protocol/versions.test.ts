/**
 * Protocol versions: the skill's parser reads only the current version; a bridge's reads versions 2
 * and 1 too, each with its own step shape (no mixing), and drops any other version with the `version`
 * reason.
 */
import { parseCommand, PROTOCOL_VERSION, type SessionStart } from '../../src/protocol/messages';
import { parseReceivedCommand, ReceivedSessionStart, V1, V2 } from '../../src/protocol/earlier-versions';
import { sessionStart, T0 } from '../devices/helpers';

const current: SessionStart = sessionStart(T0);
const v2 = { ...current, v: V2 };
const v1 = { ...v2, v: V1, lights: { ...v2.lights, steps: v2.lights.steps.map(([at, bri, t]) => [at, bri, t]) } };

describe('protocol versions', () => {
  test('version 3 carries each step\'s phase and may carry a dark room; both parsers read it', () => {
    expect(PROTOCOL_VERSION).toBe(3);
    const dark = { ...current, room: 'dark' };
    for (const message of [current, dark]) {
      expect(parseCommand(JSON.stringify(message))).toEqual({ ok: true, command: message });
      expect(parseReceivedCommand(JSON.stringify(message))).toEqual({ ok: true, command: message });
    }
    expect(current.lights.steps.map((s) => s[3])).toEqual(['inhale', 'exhale', 'inhale', 'exhale', 'inhale', 'exhale']);
  });

  test('a bridge reads version 2 as sent (steps with their phase); the current-version parser drops it', () => {
    expect(parseReceivedCommand(JSON.stringify(v2))).toEqual({ ok: true, command: v2 });
    expect(parseCommand(JSON.stringify(v2))).toMatchObject({ ok: false, reason: 'version' });
    for (const body of [{ type: 'session.stop', reason: 'stop' }, { type: 'diffuser.set', on: false }, { type: 'bedtime.set', time: null }]) {
      const command = { v: V2, id: 'abcdefgh12345678', homeId: 'home-1', issuedAt: T0, ...body };
      expect(parseReceivedCommand(JSON.stringify(command))).toEqual({ ok: true, command });
    }
    expect(ReceivedSessionStart.safeParse(v2).success).toBe(true);
  });

  test('a bridge reads version 1 as sent (steps without a phase); the current-version parser drops it', () => {
    expect(parseReceivedCommand(JSON.stringify(v1))).toEqual({ ok: true, command: v1 });
    expect(parseCommand(JSON.stringify(v1))).toMatchObject({ ok: false, reason: 'version' });
    for (const body of [{ type: 'session.stop', reason: 'stop' }, { type: 'diffuser.set', on: false }, { type: 'bedtime.set', time: null }]) {
      const command = { v: V1, id: 'abcdefgh12345678', homeId: 'home-1', issuedAt: T0, ...body };
      expect(parseReceivedCommand(JSON.stringify(command))).toEqual({ ok: true, command });
    }
    expect(ReceivedSessionStart.safeParse(v1).success).toBe(true);
  });

  test('each version has its own step shape: a phase in version 1, or none in version 2, is a schema error', () => {
    const mixed = [
      { ...v1, lights: v2.lights },
      { ...v2, lights: v1.lights },
      { ...v2, lights: { ...v2.lights, steps: [[0, 100, 1000, 'sigh']] } },
    ];
    for (const message of mixed) expect(parseReceivedCommand(JSON.stringify(message))).toMatchObject({ ok: false, reason: 'schema' });
  });

  test('any other version is dropped, naming the ones read', () => {
    for (const v of [0, 4, '3', null, undefined]) {
      const result = parseReceivedCommand(JSON.stringify({ ...current, v }));
      expect(result).toMatchObject({ ok: false, reason: 'version' });
      if (!result.ok) expect(result.detail).toContain('expected 3 (or 2 or 1)');
    }
  });
});

describe('home ids', () => {
  test('"pairing" is not a home: its topics are the pairing offers', async () => {
    const { HomeId } = await import('../../src/protocol/messages');
    expect(HomeId.safeParse('pairing').success).toBe(false);
    expect(HomeId.safeParse('pairing-2').success).toBe(true);
    expect(HomeId.safeParse('my-home').success).toBe(true);
  });

  test('no name the topic scheme uses is a home, in any case, and the bridge refuses one in its settings', async () => {
    const { HomeId } = await import('../../src/protocol/messages');
    const { RESERVED_HOME_IDS } = await import('../../src/protocol/topics');
    const { loadConfig } = await import('../../devices/config');
    expect(RESERVED_HOME_IDS).toEqual(expect.arrayContaining(['pairing', 'cmd', 'paired', 'state', 'availability']));
    for (const name of RESERVED_HOME_IDS) {
      expect(HomeId.safeParse(name).success).toBe(false);
      expect(HomeId.safeParse(name.toUpperCase()).success).toBe(false);
      expect(() => loadConfig({ env: { WINDDOWN_HOME_ID: name, WINDDOWN_HOME_KEY: 'ab'.repeat(32), WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1', WINDDOWN_STATE_DIR: '/nonexistent-winddown' } })).toThrow(
        /WINDDOWN_HOME_ID: expected this home's id .*not a name the topics use/,
      );
    }
  });
});
