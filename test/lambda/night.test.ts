/**
 * Night is dark, through the real interaction model, a real broker and the loopback stand-in for the
 * Alexa Settings API: between midnight and five on the device's clock, a plain request to sleep is back
 * to sleep, dark and soft, with no diffuser; the same launch at 9 p.m. is the evening session. And every
 * sleep session, at its longest offered length, plays from one response and asks nothing.
 */
import { VirtualAlexa } from 'virtual-alexa';
import { SCRIPTS } from '../../src/content/scripts';
import { LOCALES, TECHNIQUE_VALUES } from '../../scripts/skill-model';
import type { Command } from '../../src/protocol/messages';
import { clearTimeZoneCache } from '../../lambda/alexa-apis/time-zone';
import * as say from '../../lambda/speech';
import { bridgeSays, harness, ssmlOf, startBroker, textOf, type Harness, type HarnessOptions, type SkillResponse, type TestBroker } from './helpers';
import { until } from '../support/until';
import { startAlexaApis, type AlexaApis } from '../support/alexa-apis';

/** 08:00 UTC on 7 December 2026 is 3 a.m. in New York (EST, UTC-5); 02:00 UTC the next day is 9 p.m. */
const THREE_AM_NEW_YORK = Date.UTC(2026, 11, 7, 8, 0);
const TWO_AM_NEW_YORK = Date.UTC(2026, 11, 7, 7, 0);
const FOUR_AM_NEW_YORK = Date.UTC(2026, 11, 7, 9, 30);
const NINE_PM_NEW_YORK = Date.UTC(2026, 11, 8, 2, 0);

let broker: TestBroker;
let apis: AlexaApis;
const open: Harness[] = [];

beforeAll(async () => {
  [broker, apis] = await Promise.all([startBroker(), startAlexaApis()]);
});
afterAll(async () => {
  await Promise.all([broker.close(), apis.close()]);
});
beforeEach(() => clearTimeZoneCache());
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  expect(broker.rejected).toEqual([]);
  await homeHas(null);
  broker.published.length = 0;
});

function skill(at: number, options: HarnessOptions = {}): Harness {
  const h = harness({ apiEndpoint: apis.url, now: () => at, ...options, env: { WINDDOWN_MQTT_URL: broker.url, ...options.env } });
  open.push(h);
  return h;
}

const homeHas = (state: { lights: boolean; diffuser: boolean } | null): Promise<void> => bridgeSays(broker, state);

const sent = (): Command[] => broker.published.map((p) => p.command);

/** A response that plays a session to its end and leaves no microphone open. */
function asksNothing(r: SkillResponse): void {
  expect(r.response.shouldEndSession).toBe(true);
  expect(r.response.reprompt).toBeUndefined();
  expect(textOf(r)).not.toContain('continue');
}

describe('in the middle of the night', () => {
  beforeEach(() => homeHas({ lights: true, diffuser: true }));

  it.each([
    ['a plain launch', TWO_AM_NEW_YORK, (h: Harness) => h.launch()],
    ["I can't sleep", THREE_AM_NEW_YORK, (h: Harness) => h.utter("I can't sleep")],
    ['help me sleep', FOUR_AM_NEW_YORK, (h: Harness) => h.utter('help me sleep')],
    ['I woke up', THREE_AM_NEW_YORK, (h: Harness) => h.utter('I woke up')],
  ])('%s is back to sleep: dark, soft, no diffuser, nothing asked', async (_said, at, ask) => {
    const h = skill(at);
    const r = await ask(h);
    expect(textOf(r).startsWith(say.NIGHT_WELCOME)).toBe(true);
    expect(ssmlOf(r)).toContain('<prosody volume="soft">');
    asksNothing(r);
    await until(() => sent().some((c) => c.type === 'session.start'));
    const start = sent().find((c) => c.type === 'session.start')!;
    expect(start).toMatchObject({ scriptId: 'back-to-sleep', room: 'dark', final: true });
    expect(start.type === 'session.start' && Math.max(...start.lights.steps.map(([, bri]) => bri))).toBeLessThanOrEqual(2);
    expect(sent().filter((c) => c.type === 'diffuser.set')).toEqual([]);
    // The device's zone was asked for with the request's token.
    expect(apis.calls.some((c) => c.path.endsWith('/settings/System.timeZone') && c.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it.each([
    ['"yes" to the session help offers', async (h: Harness) => {
      await h.utter('help');
      return h.utter('yes');
    }],
    ['"start over" with nothing to start over', (h: Harness) => h.utter('start over')],
  ])('%s is back to sleep too, not paced breathing in the dark', async (_said, ask) => {
    const h = skill(THREE_AM_NEW_YORK);
    const r = await ask(h);
    expect(textOf(r).startsWith(say.NIGHT_WELCOME)).toBe(true);
    asksNothing(r);
    await until(() => sent().some((c) => c.type === 'session.start'));
    expect(sent().filter((c) => c.type === 'session.start')).toEqual([expect.objectContaining({ scriptId: 'back-to-sleep', room: 'dark' })]);
    expect(sent().filter((c) => c.type === 'diffuser.set')).toEqual([]);
  });

  it('a practice named by name is played as asked, dark and without the diffuser', async () => {
    const h = skill(THREE_AM_NEW_YORK);
    const r = await h.utter('start a body scan');
    asksNothing(r);
    await until(() => sent().some((c) => c.type === 'session.start'));
    expect(sent().find((c) => c.type === 'session.start')).toMatchObject({ scriptId: 'body-scan', room: 'dark' });
    expect(sent().filter((c) => c.type === 'diffuser.set')).toEqual([]);
  });

  it('a zone the API cannot give falls back to the configured one, and without either it is not night', async () => {
    apis.setTimeZone('unused', null);
    const zoneless = await startAlexaApis({ defaultTimeZone: null });
    try {
      const configured = skill(THREE_AM_NEW_YORK, { apiEndpoint: zoneless.url, env: { WINDDOWN_TIME_ZONE: 'America/New_York' } });
      await configured.launch();
      const unknown = skill(THREE_AM_NEW_YORK, { apiEndpoint: zoneless.url });
      await unknown.launch();
      await until(() => sent().filter((c) => c.type === 'session.start').length === 2);
      const [night, evening] = sent().filter((c) => c.type === 'session.start');
      expect(night).toMatchObject({ scriptId: 'back-to-sleep', room: 'dark' });
      expect(evening).toMatchObject({ scriptId: 'paced-breathing' });
      expect(evening).not.toHaveProperty('room');
    } finally {
      await zoneless.close();
    }
  });
});

describe('in the evening', () => {
  beforeEach(() => homeHas({ lights: true, diffuser: true }));

  it('the same launch at 9 p.m. is the evening session: lamps breathing, the diffuser on', async () => {
    const h = skill(NINE_PM_NEW_YORK);
    const r = await h.launch();
    expect(textOf(r).startsWith(say.WELCOME)).toBe(true);
    asksNothing(r);
    await until(() => sent().some((c) => c.type === 'diffuser.set'));
    const start = sent().find((c) => c.type === 'session.start')!;
    expect(start).toMatchObject({ scriptId: 'paced-breathing' });
    expect(start).not.toHaveProperty('room');
    expect(start.type === 'session.start' && Math.max(...start.lights.steps.map(([, bri]) => bri))).toBeGreaterThan(100);
    expect(sent().find((c) => c.type === 'diffuser.set')).toMatchObject({ on: true });
  });
});

describe('every sleep session at its longest offered length plays from one response and asks nothing', () => {
  const longest = SCRIPTS.filter((s) => s.ending === 'sleep').map((s) => {
    const value = TECHNIQUE_VALUES.find((v) => v.id === s.technique)!.value.replace(/-/g, ' ');
    return [s.id, value, Math.max(...s.minutes)] as const;
  });

  describe.each([
    ['without lamps', { lights: false, diffuser: false }],
    ['with lamps', { lights: true, diffuser: true }],
  ])('%s', (_home, has) => {
    beforeEach(() => homeHas(has));

    it.each(longest)('%s: "start %s for %d minutes"', async (id, value, minutes) => {
      const h = skill(NINE_PM_NEW_YORK);
      const r = await h.utter(`start ${value} for ${minutes} minutes`);
      asksNothing(r);
      await until(() => sent().some((c) => c.type === 'session.start'));
      const start = sent().find((c) => c.type === 'session.start')!;
      expect(start).toMatchObject({ scriptId: id, final: true, fromMs: 0 });
      if (start.type !== 'session.start') return;
      // The one response covers the whole plan, within 5 % of the length asked for.
      expect(start.untilMs).toBe(start.lights.totalMs);
      expect(Math.abs(start.untilMs - minutes * 60_000)).toBeLessThanOrEqual(minutes * 60_000 * 0.05);
      expect(ssmlOf(r).length).toBeLessThan(8_000);
    });
  });
});

describe('the night phrases, through the interaction model of every locale', () => {
  const phrases = ["I can't sleep", 'help me sleep', 'I woke up', 'I woke up in the night', "I'm awake", 'I keep waking up', "I can't get to sleep"];

  it.each(LOCALES)('%s: each reaches StartSessionIntent with no practice named', async (locale) => {
    const heard: { intent?: string; technique?: string }[] = [];
    const alexa = VirtualAlexa.Builder()
      .handler((event: { request: { intent?: { name: string; slots?: Record<string, { value?: string }> } } }, _context: unknown, callback: (e: null, r: unknown) => void) => {
        heard.push({ intent: event.request.intent?.name, technique: event.request.intent?.slots?.technique?.value });
        callback(null, { version: '1.0', response: { shouldEndSession: true } });
      })
      .interactionModelFile(`skill-package/interactionModels/custom/${locale}.json`)
      .locale(locale)
      .create();
    for (const phrase of phrases) await alexa.utter(phrase);
    expect(heard).toEqual(phrases.map(() => ({ intent: 'StartSessionIntent', technique: undefined })));
  });
});
