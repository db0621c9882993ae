import path from 'node:path';
import { UtteranceMatcher, normalize } from '../../local/utterances';
import { parseTime } from '../../local/spoken-values';
import { readFileSync, readdirSync } from 'node:fs';

const modelPath = (locale: string): string => path.join(__dirname, '../../skill-package/interactionModels/custom', `${locale}.json`);
const matcher = UtteranceMatcher.fromFile(modelPath('en-US'));
const LOCALES = readdirSync(path.join(__dirname, '../../skill-package/interactionModels/custom')).map((f) => f.replace(/\.json$/, ''));

function intentOf(text: string, elicit?: { intent: string; slot: string }): { name: string; slots: Record<string, string | undefined>; ids: Record<string, string | undefined> } {
  const u = matcher.match(text, elicit);
  if (u.type === 'LaunchRequest') return { name: 'LaunchRequest', slots: {}, ids: {} };
  const slots: Record<string, string | undefined> = {};
  const ids: Record<string, string | undefined> = {};
  for (const [name, slot] of Object.entries(u.intent.slots ?? {})) {
    slots[name] = slot.value;
    const first = slot.resolutions?.resolutionsPerAuthority?.[0];
    ids[name] = first?.status.code === 'ER_SUCCESS_MATCH' ? first.values[0]?.value.id : undefined;
  }
  return { name: u.intent.name, slots, ids };
}

describe('the utterance matcher over the real interaction model', () => {
  it.each(['Alexa, start wind down', 'open wind down', 'start wind down', 'wind down', 'launch Wind Down'])('"%s" launches', (text) => {
    expect(matcher.match(text)).toEqual({ type: 'LaunchRequest' });
  });

  it.each([
    ['ask wind down to start progressive muscle relaxation', 'pmr'],
    ['ask wind down to start a body scan', 'body-scan'],
    ['ask wind down to start breathing', 'breathing'],
    ['ask wind down to start a guided meditation', 'meditation'],
    ['start PMR', 'pmr'],
    ['start a back friendly relaxation', 'back-pmr'],
  ])('"%s" starts a session with technique %s (entity resolution id)', (text, id) => {
    const got = intentOf(text);
    expect(got.name).toBe('StartSessionIntent');
    expect(got.ids.technique).toBe(id);
  });

  it('turns spoken numbers into AMAZON.NUMBER digits', () => {
    const got = intentOf('ask wind down to start breathing for five minutes');
    expect(got).toMatchObject({ name: 'StartSessionIntent', slots: { minutes: '5' }, ids: { technique: 'breathing' } });
    expect(intentOf('start breathing for twenty five minutes').slots.minutes).toBe('25');
  });

  it('passes an unknown technique on unresolved, as Alexa does', () => {
    const got = intentOf('start yoga');
    expect(got.name).toBe('StartSessionIntent');
    expect(got.slots.technique).toBe('yoga');
    expect(got.ids.technique).toBeUndefined();
  });

  it.each([
    ['set my bedtime to ten thirty p.m.', '22:30'],
    ['set my bedtime to 10:30 pm', '22:30'],
    ['set my bedtime to eleven', '11:00'],
    ['set my bedtime to half past ten at night', '22:30'],
    ['set my bedtime to midnight', '00:00'],
    ['set my bedtime to tonight', 'NI'],
  ])('"%s" sets the bedtime with AMAZON.TIME %s', (text, time) => {
    expect(intentOf(text)).toMatchObject({ name: 'SetBedtimeIntent', slots: { time } });
  });

  it('prefers the more specific sample over free-text questions', () => {
    expect(intentOf('what is my bedtime').name).toBe('GetBedtimeIntent');
    expect(intentOf('when is my bedtime').name).toBe('GetBedtimeIntent');
    expect(intentOf('ask wind down what is progressive muscle relaxation')).toMatchObject({
      name: 'AskQuestionIntent',
      slots: { question: 'progressive muscle relaxation' },
    });
  });

  it.each([
    ['turn on the diffuser', 'DiffuserOnIntent'],
    ['turn off the diffuser', 'DiffuserOffIntent'],
    ['stop', 'AMAZON.StopIntent'],
    ['cancel', 'AMAZON.CancelIntent'],
    ['pause', 'AMAZON.PauseIntent'],
    ['continue', 'AMAZON.ResumeIntent'],
    ['help', 'AMAZON.HelpIntent'],
    ['yes', 'AMAZON.YesIntent'],
    ['no thanks', 'AMAZON.NoIntent'],
    ['start over', 'AMAZON.StartOverIntent'],
    ['the weather in paris tomorrow', 'AMAZON.FallbackIntent'],
  ])('"%s" → %s', (text, name) => {
    expect(intentOf(text).name).toBe(name);
  });

  it("answers a slot the skill asked for with the slot's own samples", () => {
    expect(intentOf('ten thirty p.m.', { intent: 'SetBedtimeIntent', slot: 'time' })).toMatchObject({ name: 'SetBedtimeIntent', slots: { time: '22:30' } });
  });

  it('every sample of every intent in every locale matches its own intent', () => {
    for (const locale of LOCALES) {
      const m = UtteranceMatcher.fromFile(modelPath(locale));
      const model = (JSON.parse(readFileSync(modelPath(locale), 'utf8')) as { interactionModel: { languageModel: { intents: { name: string; samples?: string[] }[] } } }).interactionModel.languageModel;
      for (const intent of model.intents) {
        for (const sample of intent.samples ?? []) {
          const text = sample.replace('{technique}', 'body scan').replace('{minutes}', 'ten').replace('{time}', 'ten p.m.').replace('{question}', 'the quick method').replace('{code}', 'four eight two nine one five');
          const got = m.match(text);
          expect({ sample, locale, name: got.type === 'IntentRequest' ? got.intent.name : got.type }).toEqual({ sample, locale, name: intent.name });
        }
      }
    }
  });
});

describe('spoken values', () => {
  it('normalizes punctuation and p.m.', () => {
    expect(normalize('Ten-thirty P.M.!')).toBe('ten thirty p m');
    expect(normalize('10:30')).toBe('10:30');
  });
  it.each([
    ['ten thirty p m', '22:30'], ['quarter to eleven', '10:45'], ['10 pm', '22:00'], ['twelve a m', '00:00'],
    ['ten oh five', '10:05'], ['twenty two thirty', '22:30'], ['noon', '12:00'], ['evening', 'EV'], ['eleven o clock', '11:00'],
  ])('time "%s" = %s', (text, time) => expect(parseTime(text)).toBe(time));
});
