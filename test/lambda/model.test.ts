/**
 * Interaction-model lint: the committed JSON is what scripts/skill-model.ts generates, every locale has
 * the same intents and slots, every {slot} is declared, no sample belongs to two intents, the
 * invocation name follows Alexa's rules, and the manifest carries its name, category, example phrases and medical-advice line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TECHNIQUES } from '../../src/content/schema';
import { analyse } from '../../src/faq/match';

const root = join(__dirname, '../..');
const LOCALES = ['en-US', 'en-GB', 'en-CA', 'en-AU', 'en-IN'];

interface Slot { name: string; type: string; samples?: string[] }
interface Intent { name: string; slots?: Slot[]; samples?: string[] }
interface Model {
  interactionModel: {
    languageModel: { invocationName: string; intents: Intent[]; types: { name: string; values: { id: string; name: { value: string; synonyms?: string[] } }[] }[] };
  };
}

const read = <T>(path: string): T => JSON.parse(readFileSync(join(root, path), 'utf8')) as T;
const models = Object.fromEntries(LOCALES.map((l) => [l, read<Model>(`skill-package/interactionModels/custom/${l}.json`)]));
const lm = (locale: string) => models[locale]!.interactionModel.languageModel;

const REQUIRED = [
  'StartSessionIntent', 'AskQuestionIntent', 'SetBedtimeIntent', 'GetBedtimeIntent', 'DiffuserOnIntent', 'DiffuserOffIntent',
  'AMAZON.StopIntent', 'AMAZON.CancelIntent', 'AMAZON.HelpIntent', 'AMAZON.FallbackIntent', 'AMAZON.NavigateHomeIntent',
  'AMAZON.PauseIntent', 'AMAZON.ResumeIntent', 'AMAZON.YesIntent', 'AMAZON.NoIntent', 'AMAZON.RepeatIntent', 'AMAZON.StartOverIntent',
  'ExplainIntent', 'NoDiffuserIntent', 'UseDiffuserIntent', 'PairHomeIntent', 'ForgetHomeIntent',
  'SetReminderIntent', 'StopReminderIntent', 'StatementIntent', 'EmergencyIntent', 'CrisisIntent',
];

describe('interaction models', () => {
  it('are up to date with scripts/skill-model.ts', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/gen-skill-package.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('have the same intents, slots and types in every locale', () => {
    const shape = (l: string) => ({
      intents: lm(l).intents.map((i) => [i.name, (i.slots ?? []).map((s) => `${s.name}:${s.type}`)]),
      types: lm(l).types.map((t) => [t.name, t.values.map((v) => v.id)]),
    });
    for (const locale of LOCALES) expect(shape(locale)).toEqual(shape('en-US'));
  });

  it.each(LOCALES)('%s: declares the contract intents and slots', (locale) => {
    const intents = new Map(lm(locale).intents.map((i) => [i.name, i]));
    expect([...intents.keys()].sort()).toEqual([...REQUIRED].sort());
    expect(intents.get('StartSessionIntent')?.slots).toEqual([{ name: 'technique', type: 'WindDownTechnique' }, { name: 'minutes', type: 'AMAZON.NUMBER' }]);
    expect(intents.get('AskQuestionIntent')?.slots).toEqual([{ name: 'question', type: 'AMAZON.SearchQuery' }]);
    expect(intents.get('StatementIntent')?.slots).toEqual([{ name: 'statement', type: 'AMAZON.SearchQuery' }]);
    expect(intents.get('SetBedtimeIntent')?.slots?.map((s) => [s.name, s.type])).toEqual([['time', 'AMAZON.TIME']]);
    expect(intents.get('PairHomeIntent')?.slots).toEqual([{ name: 'code', type: 'AMAZON.NUMBER' }]);
    const technique = lm(locale).types.find((t) => t.name === 'WindDownTechnique');
    expect(technique?.values.map((v) => v.id).sort()).toEqual([...TECHNIQUES].sort());
  });

  it.each(LOCALES)('%s: every {slot} is declared, no sample is in two intents, samples are speakable', (locale) => {
    const owner = new Map<string, string>();
    for (const intent of lm(locale).intents) {
      const declared = new Set((intent.slots ?? []).map((s) => s.name));
      for (const sample of intent.samples ?? []) {
        for (const [, slot] of sample.matchAll(/\{([^}]+)\}/g)) expect([intent.name, sample, declared.has(slot!)]).toEqual([intent.name, sample, true]);
        expect(sample).toMatch(/^[a-zA-Z0-9 '.{}]+$/);
        expect(sample.length).toBeLessThanOrEqual(200);
        const key = sample.toLowerCase().replace(/\s+/g, ' ').trim();
        expect([sample, owner.get(key) ?? intent.name]).toEqual([sample, intent.name]);
        owner.set(key, intent.name);
      }
      for (const slot of intent.slots ?? []) {
        for (const sample of slot.samples ?? []) expect(sample).toMatch(new RegExp(`\\{${slot.name}\\}`));
      }
    }
  });

  it.each(LOCALES)('%s: AMAZON.SearchQuery samples carry a phrase and no other slot', (locale) => {
    const ask = lm(locale).intents.find((i) => i.name === 'AskQuestionIntent')!;
    for (const sample of ask.samples ?? []) {
      expect(sample).toMatch(/^[a-zA-Z' ]+ \{question\}$/);
    }
  });

  it('question carriers take only words the FAQ matcher drops, so the question reaches it whole', () => {
    const ask = lm('en-US').intents.find((i) => i.name === 'AskQuestionIntent')!;
    for (const sample of ask.samples ?? []) {
      const carrier = sample.replace(' {question}', '');
      expect({ carrier, content: analyse(carrier) }).toEqual({ carrier, content: [] });
    }
  });

  it.each([
    ['guided imagery', 'imagery'],
    ['gentle stretch for my back', 'back-stretch'],
    ['autogenic training', 'autogenic'],
    ['back to sleep', 'back-to-sleep'],
  ])('names the practice %p as technique %p', (said, id) => {
    const technique = lm('en-US').types.find((t) => t.name === 'WindDownTechnique')!;
    const value = technique.values.find((v) => [v.name.value, ...(v.name.synonyms ?? [])].includes(said));
    expect(value?.id).toBe(id);
  });

  it('has an invocation name Alexa accepts', () => {
    for (const locale of LOCALES) {
      const name = lm(locale).invocationName;
      expect(name).toBe('wind down');
      expect(name).toMatch(/^[a-z][a-z ]*[a-z]$/);
      expect(name.split(' ').length).toBeGreaterThanOrEqual(2);
      expect(name).not.toMatch(/\b(alexa|amazon|echo|skill|app|launch|ask|tell|open|start|stop)\b/);
    }
  });
});

describe('skill.json', () => {
  interface Manifest {
    manifest: {
      publishingInformation: { category: string; locales: Record<string, { name: string; description: string; examplePhrases: string[] }> };
      privacyAndCompliance: Record<string, unknown>;
    };
  }
  const { manifest } = read<Manifest>('skill-package/skill.json');

  it('is Wind Down, Health & Fitness, in every locale, and not medical advice', () => {
    expect(manifest.publishingInformation.category).toBe('HEALTH_AND_FITNESS');
    expect(Object.keys(manifest.publishingInformation.locales).sort()).toEqual([...LOCALES].sort());
    for (const info of Object.values(manifest.publishingInformation.locales)) {
      expect(info.name).toBe('Wind Down');
      expect(info.description).toContain('not a substitute for medical advice');
      expect(info.examplePhrases[0]).toBe('Alexa, start wind down');
      for (const phrase of info.examplePhrases) expect(phrase).toMatch(/^Alexa, .*wind down/);
    }
    expect(manifest.privacyAndCompliance).toEqual(
      expect.objectContaining({ allowsPurchases: false, usesPersonalInfo: false, isChildDirected: false, isExportCompliant: true, containsAds: false }),
    );
  });
});
