/**
 * The whole skill through the real en-US interaction model (virtual-alexa), publishing to a real broker.
 * Every response passes ssml-check-core (platform amazon) and stays under 8,000 characters: the harness
 * checks that on each call.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FAQ } from '../../src/content/faq';
import type { Command, SessionStart, SessionStop } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import * as say from '../../lambda/speech';
import { deadUrl, harness, HOME_ID, MOSQUITTO, recordingBroker, startBroker, textOf, type Harness } from './helpers';
import { until } from '../support/until';

const broker = recordingBroker();

function skill(env: Record<string, string> = {}, extra: Parameters<typeof harness>[0] = {}): Harness {
  return harness({ ...extra, env: { WINDDOWN_MQTT_URL: broker.url, ...env } });
}

function commands<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
  return broker.published.map((p) => p.command).filter((c): c is Extract<Command, { type: T }> => c.type === type);
}

async function waitFor(type: Command['type'], count = 1): Promise<void> {
  await until(() => commands(type).length >= count);
}

describe('launch', () => {
  it('starts paced breathing at once, with the lights and the diffuser, and ends in silence', async () => {
    const h = skill();
    const before = Date.now();
    const r = await h.launch();
    expect(textOf(r).startsWith(say.WELCOME)).toBe(true);
    // Ends in sleep: no question, no reprompt, the microphone stays closed.
    expect(r.response.shouldEndSession).toBe(true);
    expect(r.response.reprompt).toBeUndefined();

    await waitFor('diffuser.set');
    for (const p of broker.published) {
      expect(p.topic).toBe(homeTopics(HOME_ID).command);
      expect(p.command.homeId).toBe(HOME_ID);
      expect(p.command.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    }
    const [start] = commands('session.start') as [SessionStart];
    expect(start.scriptId).toBe('paced-breathing');
    expect(start.fromMs).toBe(0);
    expect(start.final).toBe(true);
    expect(start.issuedAt).toBeGreaterThanOrEqual(before);
    // The lights start when the voice reaches the plan: after the latency estimate and the welcome.
    expect(start.startAt - start.issuedAt).toBeGreaterThan(1500 + 2000);
    expect(start.lights.steps.length).toBeGreaterThan(10);
    expect(start.lights.steps.every(([at]) => at >= start.fromMs && at < start.untilMs)).toBe(true);
    expect(commands('diffuser.set')).toEqual([expect.objectContaining({ on: true, minutes: expect.any(Number) as number })]);
    expect(new Set(broker.published.map((p) => p.command.id)).size).toBe(broker.published.length);
  });

  it('reuses the connection while the container is warm', async () => {
    const h = skill();
    await h.launch();
    await h.launch();
    await waitFor('session.start', 2);
    expect(h.log.lines.filter((l) => l.event === 'home-link.connected')).toHaveLength(1);
  });

  it('logs request ids and outcomes, never what was said', async () => {
    const h = skill();
    await h.launch();
    await h.utter('set my bedtime to ten thirty pm');
    await h.utter('what is progressive muscle relaxation');
    const logged = JSON.stringify(h.log.lines);
    expect(logged).toContain('amzn1.echo-external.request.');
    expect(logged).not.toMatch(/22:30|progressive|muscle|ten thirty/i);
  });
});

describe('one-shot sessions', () => {
  it.each([
    ['ask wind down to start progressive muscle relaxation', 'pmr-full', 'Progressive muscle relaxation'],
    ['ask wind down to start a body scan', 'body-scan', 'Body scan'],
    ['ask wind down to start breathing', 'paced-breathing', 'Paced breathing, 10 minutes'],
    ['ask wind down to start breathing for five minutes', 'paced-breathing', 'Paced breathing, 5 minutes'],
    ['ask wind down to start a guided meditation', 'breath-awareness', 'Breath awareness meditation'],
    ['ask wind down to start back friendly relaxation', 'pmr-back', 'Back friendly relaxation'],
  ])('%s', async (phrase, scriptId, lead) => {
    const h = skill();
    const r = await h.utter(phrase);
    expect(textOf(r).startsWith(lead)).toBe(true);
    expect(r.response.shouldEndSession).toBe(true);
    await waitFor('session.start');
    expect(commands('session.start')[0]?.scriptId).toBe(scriptId);
  });

  it('a session that ends awake still ends quietly, and does not start the diffuser', async () => {
    const h = skill();
    const r = await h.intend('StartSessionIntent', { technique: 'breathing', minutes: '2' });
    expect(textOf(r).startsWith('Six slow breaths')).toBe(true);
    expect(r.response.shouldEndSession).toBe(true);
    await waitFor('session.start');
    expect(commands('session.start')[0]?.scriptId).toBe('six-breaths');
    expect(commands('diffuser.set')).toEqual([]);
  });
});

describe('sessions over several responses', () => {
  const SMALL = { WINDDOWN_MAX_SPEECH_CHARS: '1000' };

  it('continue goes on from exactly where the last part ended, across Alexa sessions too', async () => {
    const h = skill(SMALL);
    const first = await h.utter('start a body scan for twenty minutes');
    // Not the last part: invites "continue", keeps listening briefly, but no reprompt to wake anyone.
    expect(first.response.shouldEndSession).toBe(false);
    expect(first.response.reprompt).toBeUndefined();
    expect(textOf(first)).toMatch(/say continue/i);
    await waitFor('session.start');
    const [part0] = commands('session.start') as [SessionStart];
    expect(part0.final).toBe(false);

    const second = await h.utter('continue');
    await waitFor('session.start', 2);
    const part1 = commands('session.start')[1]!;
    expect(part1.sessionId).toBe(part0.sessionId);
    expect(part1.fromMs).toBe(part0.untilMs);
    expect(textOf(second)).not.toContain(say.WELCOME);

    // A later Alexa session, same user: "ask wind down to continue" picks up the next part.
    const later = harness({ env: { WINDDOWN_MQTT_URL: broker.url, ...SMALL }, sameUserAs: h });
    await later.utter('ask wind down to continue');
    await waitFor('session.start', 3);
    expect(commands('session.start')[2]?.fromMs).toBe(part1.untilMs);
  });

  it('the last part ends the session without a reprompt', async () => {
    const h = skill(SMALL);
    let r = await h.utter('start breathing for five minutes');
    let parts = 1;
    while (r.response.shouldEndSession === false) {
      r = await h.utter('continue');
      parts += 1;
      expect(parts).toBeLessThan(40);
    }
    expect(parts).toBeGreaterThan(1);
    expect(r.response.reprompt).toBeUndefined();
    await waitFor('session.start', parts);
    expect(commands('session.start').at(-1)?.final).toBe(true);
    // Nothing left to continue: an offer, not a replay.
    const after = await h.utter('continue');
    expect(textOf(after)).toBe(say.SESSION_FINISHED);
  });
});

describe('stop, pause and resume', () => {
  it.each([
    ['stop', 'stop'],
    ['cancel', 'cancel'],
    ['pause', 'pause'],
    ['go home', 'stop'],
  ])('"%s" stops the lights at once (reason %s)', async (phrase, reason) => {
    const h = skill();
    await h.launch();
    await waitFor('session.start');
    const r = await h.launch().then(() => h.utter(phrase));
    expect(r.response.shouldEndSession).toBe(true);
    await waitFor('session.stop');
    const [stop] = commands('session.stop') as [SessionStop];
    expect(stop.reason).toBe(reason);
    expect(stop.sessionId).toBe(commands('session.start').at(-1)?.sessionId);
  });

  it('resume continues from where pause left it', async () => {
    let now = Date.parse('2025-01-10T22:00:00Z');
    const h = skill({}, { now: () => now });
    await h.utter('start a body scan');
    await waitFor('session.start');
    const start = commands('session.start')[0]!;
    // Four minutes after the voice reached the plan, the listener says "pause".
    now = start.startAt + 240_000;
    const paused = await h.utter('pause');
    expect(textOf(paused)).toBe(say.PAUSED);
    await waitFor('session.stop');

    now += 600_000;
    const later = harness({ env: { WINDDOWN_MQTT_URL: broker.url }, sameUserAs: h, now: () => now });
    const resumed = await later.utter('ask wind down to resume');
    expect(textOf(resumed).startsWith(say.RESUME_LEAD)).toBe(true);
    await waitFor('session.start', 2);
    const again = commands('session.start')[1]!;
    expect(again.sessionId).toBe(start.sessionId);
    expect(again.fromMs).toBeGreaterThan(200_000);
    expect(again.fromMs).toBeLessThanOrEqual(240_000);
    expect(again.lights.steps.every(([at]) => at >= again.fromMs)).toBe(true);
  });

  it('resume with nothing to resume offers a session, and yes starts it', async () => {
    const h = skill();
    const r = await h.utter('resume');
    expect(textOf(r)).toBe(say.NOTHING_TO_RESUME);
    expect(r.response.shouldEndSession).toBe(false);
    await h.utter('yes');
    await waitFor('session.start');
    expect(commands('session.start')[0]?.scriptId).toBe('paced-breathing');
  });

  it('start over restarts the current session from the beginning', async () => {
    const h = skill({ WINDDOWN_MAX_SPEECH_CHARS: '1000' });
    await h.utter('start a body scan');
    await h.utter('continue');
    const r = await h.utter('start over');
    expect(textOf(r).startsWith(say.START_OVER_LEAD)).toBe(true);
    await waitFor('session.start', 3);
    const last = commands('session.start')[2]!;
    expect([last.scriptId, last.fromMs]).toEqual(['body-scan', 0]);
  });

  it('help names the daily reminder in words that reach it', async () => {
    const h = skill();
    const help = await h.utter('help');
    const phrase = /say: (remind me to wind down at ten p\.m)\./.exec(textOf(help))?.[1];
    expect(phrase).toBeDefined();
    const r = await h.utter(phrase!);
    expect([say.REMINDER_PERMISSION, say.reminderSet('22:00', false)]).toContain(textOf(r));
  });

  it('repeat says the last reply again', async () => {
    const h = skill();
    await h.utter('help');
    const r = await h.utter('repeat');
    expect(textOf(r)).toBe(say.HELP);
  });
});

describe('questions', () => {
  const pmr = FAQ.find((e) => e.id === 'what-is-pmr')!;

  it('answers a question it knows', async () => {
    const h = skill();
    const r = await h.utter('what is progressive muscle relaxation');
    expect(textOf(r)).toBe(pmr.answer);
    expect(r.response.shouldEndSession).toBe(true);
  });

  it('says how stopping and going on work as the sessions do now: a sleep session asks nothing', async () => {
    const h = skill();
    const r = await h.utter('how do I continue');
    const answer = FAQ.find((e) => e.id === 'stop-pause-continue')!.answer;
    expect(textOf(r)).toBe(answer);
    expect(answer).toMatch(/sleep session plays to its end and never asks/);
    expect(answer).not.toMatch(/may stop and ask/);
  });

  it('answers a paraphrase', async () => {
    const h = skill();
    const r = await h.utter('how long until I see results');
    expect(textOf(r)).toBe(FAQ.find((e) => e.id === 'how-long-until-results')!.answer);
  });

  it('says it does not know rather than answering a different question, and offers help', async () => {
    const h = skill();
    const r = await h.utter('what is the capital of france');
    expect(textOf(r)).toBe(say.FAQ_MISS);
    expect(r.response.shouldEndSession).toBe(false);
    const help = await h.utter('yes');
    expect(textOf(help)).toBe(say.HELP);
  });
});

describe('bedtime', () => {
  it('stores an exact time, sends it home, and says it back', async () => {
    const h = skill();
    const r = await h.utter('set my bedtime to ten thirty pm');
    expect(textOf(r)).toBe(say.bedtimeSet('22:30', 'sent', true, true));
    await waitFor('bedtime.set');
    expect(commands('bedtime.set')[0]).toEqual(expect.objectContaining({ time: '22:30', homeId: HOME_ID }));
    const asked = await h.utter('when is my bedtime');
    expect(textOf(asked)).toBe('Your bedtime is 10:30 PM.');
  });

  it.each(['tonight', 'this evening', 'in the morning', 'this afternoon'])('asks for the time when told only "%s"', async (vague) => {
    const h = skill();
    const r = await h.utter(`set my bedtime to ${vague}`);
    expect(textOf(r)).toBe(say.BEDTIME_PROMPT);
    expect(r.response.shouldEndSession).toBe(false);
    expect(r.response.directives).toEqual([expect.objectContaining({ type: 'Dialog.ElicitSlot', slotToElicit: 'time' })]);
    expect(commands('bedtime.set')).toEqual([]);
  });

  it('asks for the time when none was given, then takes the answer', async () => {
    const h = skill();
    const r = await h.utter('set my bedtime');
    expect(textOf(r)).toBe(say.BEDTIME_PROMPT);
    const answered = await h.intend('SetBedtimeIntent', { time: '23:00' });
    expect(textOf(answered)).toBe(say.bedtimeSet('23:00', 'sent', true, true));
  });

  it('without a bedtime, says how to set one', async () => {
    const h = skill();
    expect(textOf(await h.utter('when is my bedtime'))).toBe(say.NO_BEDTIME);
  });
});

describe('diffuser', () => {
  it('turns on with an off time, and off', async () => {
    const h = skill();
    // The first time it comes on for someone, one line of care with the oils.
    expect(textOf(await h.utter('turn on the diffuser'))).toBe(`${say.diffuserOn(30, true)} ${say.OIL_SAFETY_SHORT}`);
    expect(textOf(await h.utter('turn off the diffuser'))).toBe(say.diffuserOff(true));
    await waitFor('diffuser.set', 2);
    expect(commands('diffuser.set').map((c) => [c.on, c.minutes])).toEqual([
      [true, 30],
      [false, undefined],
    ]);
  });
});

describe('help, fallback and the end of a session', () => {
  it('help says what the skill does and that it is not medical advice', async () => {
    const h = skill();
    const r = await h.utter('help');
    expect(textOf(r)).toContain('not a substitute for medical advice');
    expect(r.response.shouldEndSession).toBe(false);
    expect(r.response.reprompt).toBeDefined();
    const no = await h.utter('no');
    expect(no.response.shouldEndSession).toBe(true);
  });

  it('fallback explains what to say', async () => {
    const h = skill();
    const r = await h.intend('AMAZON.FallbackIntent');
    expect(textOf(r)).toBe(say.FALLBACK);
    expect(r.response.shouldEndSession).toBe(false);
  });

  it('handles SessionEndedRequest without speaking', async () => {
    const h = skill();
    await h.utter('help');
    const r = await h.endSession();
    expect(r.response.outputSpeech).toBeUndefined();
    expect(h.log.lines.some((l) => l.event === 'session.ended')).toBe(true);
  });
});

describe('when the home cannot be reached', () => {
  it('plays the session anyway and says so once per session', async () => {
    const h = harness({ env: { WINDDOWN_MQTT_URL: await deadUrl(), WINDDOWN_MAX_SPEECH_CHARS: '1000' } });
    const first = await h.launch();
    expect(textOf(first).startsWith(`${say.LIGHTS_UNREACHABLE} ${say.WELCOME}`)).toBe(true);
    expect(first.response.shouldEndSession).toBe(false);
    const second = await h.utter('continue');
    expect(textOf(second)).not.toContain(say.LIGHTS_UNREACHABLE);
    expect(textOf(second).length).toBeGreaterThan(100);
  });

  it('gives up waiting for the PUBACK after 1.5 s', async () => {
    // A "broker" that accepts the connection and never answers.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const h = harness({ env: { WINDDOWN_MQTT_URL: `mqtt://127.0.0.1:${port}` } });
      const started = Date.now();
      const r = await h.launch();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(2500);
      expect(textOf(r).startsWith(say.LIGHTS_UNREACHABLE)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('saves a bedtime anyway and sends it with the next message that gets through', async () => {
    const h = harness({ env: { WINDDOWN_MQTT_URL: await deadUrl() } });
    expect(textOf(await h.utter('set my bedtime to eleven pm'))).toBe(say.bedtimeSet('23:00', 'unreachable', true, true));
    const back = skill({}, { sameUserAs: h });
    await back.utter('turn on the diffuser');
    await waitFor('bedtime.set');
    expect(commands('bedtime.set')[0]?.time).toBe('23:00');
  });

  it('without a home link configured, the voice plays with no notice', async () => {
    const h = harness();
    const r = await h.launch();
    expect(textOf(r).startsWith(say.WELCOME)).toBe(true);
  });
});

describe('skill id', () => {
  const OURS = 'amzn1.ask.skill.00000000-0000-0000-0000-000000000001';

  it('answers requests for this skill', async () => {
    const h = skill({ WINDDOWN_SKILL_ID: OURS }, { applicationId: OURS });
    expect(textOf(await h.launch()).startsWith(say.WELCOME)).toBe(true);
  });

  it('rejects requests for any other skill', async () => {
    const h = skill({ WINDDOWN_SKILL_ID: OURS }, { applicationId: 'amzn1.ask.skill.someone-else' });
    await expect(h.alexa.launch()).rejects.toThrow(/skill id/i);
    expect(broker.published).toEqual([]);
  });
});

(MOSQUITTO ? describe : describe.skip)('with Mosquitto', () => {
  it('the bridge side sees the session and the diffuser', async () => {
    const mosquitto = await startBroker('mosquitto');
    try {
      const h = harness({ env: { WINDDOWN_MQTT_URL: mosquitto.url } });
      await h.launch();
      await until(() => mosquitto.published.length >= 2);
      expect(mosquitto.published.map((p) => [p.topic, p.command.type, p.command.homeId])).toEqual([
        [homeTopics(HOME_ID).command, 'session.start', HOME_ID],
        [homeTopics(HOME_ID).command, 'diffuser.set', HOME_ID],
      ]);
      expect(mosquitto.rejected).toEqual([]);
    } finally {
      await mosquitto.close();
    }
  });
});
