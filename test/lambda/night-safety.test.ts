/**
 * Safety at night through the real interaction model (virtual-alexa) and a real broker: an emergency
 * or a crisis is answered with the locale's number in any intent, and nothing starts; the first bedtime
 * with the diffuser says the care line once; oil-safety answers end with how to stop the diffuser.
 */
import { readFileSync } from 'node:fs';
import { DIFFUSER_OFF_HOW } from '../../src/content/phrases';
import { triage } from '../../src/safety/triage';
import * as say from '../../lambda/speech';
import { HELD_OUT } from '../faq/held-out-questions';
import { matchesAll, percent } from '../faq/accuracy';
import { harness, recordingBroker, textOf, type Harness } from './helpers';
import { until } from '../support/until';

const broker = recordingBroker();

function skill(extra: Parameters<typeof harness>[0] = {}): Harness {
  return harness({ ...extra, env: { WINDDOWN_MQTT_URL: broker.url, ...extra.env } });
}

const published = () => broker.published;

/** Waits a moment for anything the skill might have published, then lists it. */
async function publishedTypes(): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 100));
  return published().map((p) => p.command.type);
}

describe('an emergency or a crisis, wherever it is said', () => {
  it.each([
    "my back hurts and I suddenly can't control my bladder",
    "I've lost feeling between my legs and my back hurts",
    'both my legs are numb',
    'I hurt my back in a car accident',
    'I have chest pain',
    'I fell down the stairs and my back hurts',
  ])('%p: call emergency services now, and no session starts', async (said) => {
    const h = skill();
    const r = await h.utter(said);
    expect(textOf(r)).toMatch(/call emergency services now, on nine one one/i);
    expect(r.response.shouldEndSession).toBe(true);
    expect(await publishedTypes()).toEqual([]);
  });

  it.each([
    "I don't want to live anymore",
    'I want to die',
    'I feel hopeless and want to end it',
    'sometimes I think everyone would be better off without me',
  ])('%p: a warm line and the crisis line', async (said) => {
    const r = await skill().utter(said);
    expect(textOf(r)).toMatch(/glad you told me/i);
    expect(textOf(r)).toMatch(/nine eight eight/);
    expect(await publishedTypes()).toEqual([]);
  });

  it('reads the slot values of any intent: a session asked for with a red flag in it does not start', async () => {
    const h = skill();
    const r = await h.intend('StartSessionIntent', { technique: 'breathing my chest hurts' });
    expect(textOf(r)).toMatch(/call emergency services now/i);
    const q = await h.intend('AskQuestionIntent', { question: 'is it normal that I cannot control my bladder' });
    expect(textOf(q)).toMatch(/call emergency services now/i);
    const s = await h.intend('StatementIntent', { statement: 'feel like I want to die' });
    expect(textOf(s)).toMatch(/nine eight eight/);
    expect(await publishedTypes()).toEqual([]);
  });

  it('answers the see-a-doctor-soon signs said as statements', async () => {
    const r = await skill().utter('I have a fever and my back aches');
    expect(textOf(r)).toMatch(/see a doctor soon/i);
  });

  it.each([
    ['en-GB', /nine nine nine/, /Samaritans[^.]*one one six, one two three/],
    ['en-AU', /triple zero/, /Lifeline[^.]*thirteen, eleven, fourteen/],
    ['en-IN', /one one two/, /Tele MANAS[^.]*one four four one six/],
    ['en-CA', /nine one one/, /nine eight eight/],
  ])('in %s, the local emergency number and crisis line', async (locale, number, line) => {
    const model = JSON.parse(readFileSync(`skill-package/interactionModels/custom/${locale}.json`, 'utf8')) as { interactionModel: { languageModel: { intents: { name: string }[] } } };
    expect(model.interactionModel.languageModel.intents.map((i) => i.name)).toEqual(expect.arrayContaining(['EmergencyIntent', 'CrisisIntent', 'StatementIntent']));
    const h = skill();
    h.alexa.filter((request: { request: { locale?: string } }) => {
      request.request.locale = locale;
    });
    expect(textOf(await h.intend('EmergencyIntent'))).toMatch(number);
    expect(textOf(await h.intend('CrisisIntent'))).toMatch(line);
  });
});

describe('the interaction model and the triage agree', () => {
  const model = JSON.parse(readFileSync('skill-package/interactionModels/custom/en-US.json', 'utf8')) as {
    interactionModel: { languageModel: { intents: { name: string; samples: string[] }[] } };
  };
  const samples = (name: string) => model.interactionModel.languageModel.intents.find((i) => i.name === name)?.samples ?? [];

  it('every emergency sample is an emergency, every crisis sample a crisis', () => {
    expect(samples('EmergencyIntent').length).toBeGreaterThan(100);
    expect(samples('CrisisIntent').length).toBeGreaterThan(100);
    const signOf = (sample: string) => sample.replace(' {detail}', '');
    for (const s of samples('EmergencyIntent').map(signOf)) expect({ s, tier: triage(s)?.tier }).toEqual({ s, tier: 'emergency' });
    for (const s of samples('CrisisIntent').map(signOf)) expect({ s, tier: triage(s)?.tier }).toEqual({ s, tier: 'crisis' });
  });
});

describe('oil safety where the diffuser acts', () => {
  it.each([
    'are essential oils safe for my cat',
    'is the diffuser safe with a baby in the room',
    'can I use essential oils when I am pregnant',
    'is eucalyptus safe for children',
    'can essential oils cause seizures',
    'can I use almond oil if I have a nut allergy',
  ])('%p ends with how to stop the diffuser', async (question) => {
    const r = await skill().utter(question);
    expect(textOf(r).endsWith(DIFFUSER_OFF_HOW)).toBe(true);
  });

  it('the way to stop it is what the model hears: "stop using the diffuser" switches it off and keeps it off at bedtime', async () => {
    const h = skill();
    await h.utter('set my bedtime to ten thirty pm');
    await until(() => published().some((p) => p.command.type === 'bedtime.set'));
    const r = await h.utter('stop using the diffuser');
    expect(textOf(r)).toBe(say.DIFFUSER_SESSIONS_OFF);
    await until(() => published().filter((p) => p.command.type === 'bedtime.set').length === 2);
    const commands = published().map((p) => p.command);
    expect(commands).toContainEqual(expect.objectContaining({ type: 'diffuser.set', on: false }));
    expect(commands.filter((c) => c.type === 'bedtime.set').map((c) => (c.type === 'bedtime.set' ? c.time : undefined))).toEqual(['22:30', null]);
  });

  it('the first bedtime with the diffuser says the care line, once', async () => {
    const h = skill();
    const first = textOf(await h.utter('set my bedtime to ten thirty pm'));
    expect(first).toContain(say.BEDTIME_CARE);
    expect(first).toMatch(/baby[^.]*cat[^.]*bird/);
    const second = textOf(await h.utter('set my bedtime to eleven pm'));
    expect(second).toBe(say.bedtimeSet('23:00', 'sent'));
    // A later Alexa session of the same listener: still once.
    const later = skill({ sameUserAs: h });
    expect(textOf(await later.utter('set my bedtime to ten thirty pm'))).not.toContain(say.BEDTIME_CARE);
  });

  it('someone who said no diffuser hears no care line with their bedtime', async () => {
    const h = skill();
    await h.utter("don't use the diffuser");
    expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toBe(say.bedtimeSet('22:30', 'sent', false));
  });
});

describe('the held-out night and safety questions, said to the skill', () => {
  it('are answered right at least 90 % of the time through the interaction model, emergencies and crises always', async () => {
    const h = skill();
    const wrong: string[] = [];
    const urgentMissed: string[] = [];
    for (const item of HELD_OUT) {
      // What virtual-alexa cannot place, Alexa sends as FallbackIntent.
      const said = item.q.replace(/[,?]/g, '');
      const text = textOf(await (async () => h.utter(said))().catch(() => h.intend('AMAZON.FallbackIntent')));
      const kind = /call emergency services now/i.test(text)
        ? 'emergency'
        : /glad you told me/i.test(text)
          ? 'crisis'
          : /see a doctor soon about that/i.test(text)
            ? 'doctor-soon'
            : text === say.FAQ_MISS || text === say.FALLBACK
              ? 'miss'
              : 'faq';
      const right = kind === item.kind && (kind !== 'faq' || matchesAll(text, item.expect ?? []));
      if (!right) wrong.push(`${item.q} (${kind})`);
      if ((item.kind === 'emergency' || item.kind === 'crisis') && kind !== item.kind) urgentMissed.push(item.q);
      await h.endSession();
    }
    console.log(`Held-out through the interaction model: ${percent(HELD_OUT.length - wrong.length, HELD_OUT.length)}${wrong.length ? `; wrong: ${wrong.join(' | ')}` : ''}`);
    expect(urgentMissed).toEqual([]);
    expect((HELD_OUT.length - wrong.length) / HELD_OUT.length).toBeGreaterThanOrEqual(0.9);
  });
});
