/**
 * The home link on its own, against Aedes in this process: every command is checked against the shared
 * schema before it is sent, including a session's light steps sent again from the skill's memo.
 */
import type { Command, SessionStart } from '../../src/protocol/messages';
import { parseCommand, PROTOCOL_VERSION } from '../../src/protocol/messages';
import { commandProblem, mqttHomeLink, type CommandBody } from '../../lambda/home-link';
import { silentLog } from '../../lambda/log';
import { startAedes, type AedesBroker } from '../support/brokers';
import { until } from '../support/until';
import { TEST_HOME_KEY, unsigned } from '../support/signing';
import { closedAtTeardown } from '../support/teardown';

type SessionBody = Extract<CommandBody, { type: 'session.start' }>;

const sessionBody = (): SessionBody => ({
  type: 'session.start',
  sessionId: 'abcd1234',
  scriptId: 'paced-breathing',
  title: 'Paced breathing',
  startAt: Date.now() + 3000,
  fromMs: 0,
  untilMs: 60_000,
  final: true,
  lights: { ct: 455, steps: [[0, 60, 3000, 'drift'], [3000, 110, 2400, 'inhale'], [5400, 50, 3600, 'exhale']], end: 'fade-off', endTransitionMs: 60_000, totalMs: 60_000 },
});

const envelope = { v: PROTOCOL_VERSION as typeof PROTOCOL_VERSION, id: 'abcdefgh12345678', homeId: 'home', issuedAt: Date.now() };

describe('commandProblem', () => {
  it('checks light steps once, then keeps them from changing', () => {
    const body = sessionBody();
    const command = { ...envelope, ...body } as SessionStart;
    expect(commandProblem(command)).toBeNull();
    expect(Object.isFrozen(body.lights.steps[0])).toBe(true);
    expect(() => {
      (body.lights.steps[0] as number[])[1] = 999;
    }).toThrow(TypeError);
    // The rest of the message is still checked every time.
    expect(commandProblem({ ...command, fromMs: -1 })).toBe('fromMs');
    expect(commandProblem({ ...command, lights: { ...command.lights, ct: 9 } })).toBe('lights.ct');
  });

  it('refuses bad light steps it has not seen', () => {
    const body = sessionBody();
    body.lights.steps.push([6000, 255, 150, 'inhale']);
    expect(commandProblem({ ...envelope, ...body })).toBe('lights.steps.3.1, lights.steps.3.2');
  });
});

describe('mqttHomeLink', () => {
  let broker: AedesBroker;
  const received: Command[] = [];
  beforeAll(async () => {
    broker = await closedAtTeardown(startAedes());
    broker.aedes.on('publish', (packet, client) => {
      if (!client) return;
      const parsed = parseCommand(JSON.stringify(unsigned(packet.payload)));
      if (parsed.ok) received.push(parsed.command);
    });
  });

  it('sends the same memoised lights again, each time a valid message with its own id', async () => {
    const link = mqttHomeLink({ settings: { url: broker.url }, homeId: 'home', key: TEST_HOME_KEY, timeoutMs: 1500, log: silentLog });
    try {
      const body = sessionBody();
      expect(await link.send([body], Date.now())).toBe('sent');
      expect(await link.send([body, { type: 'diffuser.set', on: true, minutes: 20 }], Date.now())).toBe('sent');
      await until(() => received.length >= 3);
      expect(received.map((c) => c.type)).toEqual(['session.start', 'session.start', 'diffuser.set']);
      expect(new Set(received.map((c) => c.id)).size).toBe(3);
      expect((received[1] as SessionStart).lights).toEqual(body.lights);
      await expect(link.send([{ ...body, fromMs: -5 }], Date.now())).rejects.toThrow('invalid session.start command: fromMs');
    } finally {
      await link.close();
    }
  });
});
