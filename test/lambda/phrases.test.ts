/**
 * Every phrase Wind Down tells people to say reaches the intent it promises. The phrases are read from
 * where people see them: every double-quoted phrase in README.md's prose, every dashboard chip
 * (`data-say` in local/dashboard/public/index.html), and the skill's example phrases in skill.json.
 * Each is walked through the real en-US interaction model (virtual-alexa's own utterance matcher),
 * then through the skill, and checked against what it promises: a launch, the session it names, the
 * answer it asks for. The dashboard's own matcher (local/utterances.ts) must agree on the intent.
 *
 * A new quoted phrase with no promise below fails the test, so nothing is offered unchecked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Utterance, type IModel } from 'virtual-core';
import { FAQ, faqById } from '../../src/content/faq';
import { UtteranceMatcher } from '../../local/utterances';
import type { Command, SessionStart } from '../../src/protocol/messages';
import { harness, MODEL, recordingBroker, textOf, type Harness, type SkillResponse } from './helpers';
import { until } from '../support/until';

const root = join(__dirname, '../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** What people read: the README, the deployer's and the installer's documents, and how it works. */
const READERS_DOCS = ['README.md', 'docs/deploy.md', 'devices/README.md', 'docs/architecture.md'];

/** Quoted phrases in those documents' prose: code blocks and inline code are configuration, not speech. */
function readmePhrases(): string[] {
  const prose = READERS_DOCS.map(read)
    .join('\n')
    .replace(/```[\s\S]*?```/g, '')
    .replace(/`[^`]*`/g, '');
  return [...prose.matchAll(/"([^"]{1,200})"/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());
}

function chipPhrases(): string[] {
  return [...read('local/dashboard/public/index.html').matchAll(/data-say="([^"]+)"/g)].map((m) => m[1]!);
}

function examplePhrases(): string[] {
  const manifest = JSON.parse(read('skill-package/skill.json')) as {
    manifest: { publishingInformation: { locales: Record<string, { examplePhrases: string[] }> } };
  };
  return manifest.manifest.publishingInformation.locales['en-US']!.examplePhrases;
}

type Promised =
  | { launch: true }
  | { intent: 'StartSessionIntent'; script: string; diffuser?: boolean }
  | { intent: 'AskQuestionIntent'; faq: string }
  | { intent: string };

/** What each offered phrase promises, keyed by the phrase with its end punctuation removed. */
const PROMISES: Record<string, Promised> = {
  'Alexa, start wind down': { launch: true },
  'start wind down': { launch: true },
  'Alexa, ask wind down what progressive muscle relaxation is': { intent: 'AskQuestionIntent', faq: 'what-is-pmr' },
  'what is progressive muscle relaxation': { intent: 'AskQuestionIntent', faq: 'what-is-pmr' },
  'ask wind down what is progressive muscle relaxation': { intent: 'AskQuestionIntent', faq: 'what-is-pmr' },
  'ask wind down to start a body scan': { intent: 'StartSessionIntent', script: 'body-scan' },
  'Alexa, ask wind down to start a body scan': { intent: 'StartSessionIntent', script: 'body-scan' },
  'ask wind down to start progressive muscle relaxation': { intent: 'StartSessionIntent', script: 'pmr-full' },
  'ask wind down to start breathing for five minutes': { intent: 'StartSessionIntent', script: 'paced-breathing' },
  'Alexa, ask wind down to start breathing for five minutes': { intent: 'StartSessionIntent', script: 'paced-breathing' },
  'set my bedtime to ten thirty p.m': { intent: 'SetBedtimeIntent' },
  'ask wind down to set my bedtime to ten thirty p.m': { intent: 'SetBedtimeIntent' },
  'ask wind down to turn on the diffuser': { intent: 'DiffuserOnIntent' },
  'ask wind down to turn off the diffuser': { intent: 'DiffuserOffIntent' },
  stop: { intent: 'AMAZON.StopIntent' },
  'how do I breathe': { intent: 'ExplainIntent' },
  "don't use the diffuser with my sessions": { intent: 'NoDiffuserIntent' },
  'use the diffuser with my sessions': { intent: 'UseDiffuserIntent' },
  'Alexa, ask Wind Down to forget my home': { intent: 'ForgetHomeIntent' },
  'Alexa, ask wind down to remind me to wind down at ten p.m': { intent: 'SetReminderIntent' },
  'remind me every night at ten p.m': { intent: 'SetReminderIntent' },
  'remind me at my bedtime': { intent: 'SetReminderIntent' },
  'stop reminding me': { intent: 'StopReminderIntent' },
  // Outside the night (the walk knows no zone): the evening session; at night, back to sleep (test/lambda/night.test.ts).
  "I can't sleep": { intent: 'StartSessionIntent', script: 'paced-breathing' },
  'help me sleep': { intent: 'StartSessionIntent', script: 'paced-breathing' },
  'I woke up': { intent: 'StartSessionIntent', script: 'paced-breathing' },
};

/** Quoted words in those documents that are names, the skill's own words or terms, not things to say to Alexa. */
const NOT_SPOKEN_BY_PEOPLE = new Set(['Bedroom', 'just say continue', 'In', 'In… Out', "I'll speak more softly now", 'Times itself', 'on with timed off']);

/** Phrases from the answers and the product's own promises, walked the same way. */
const ALSO: Record<string, Promised> = {
  'what essential oils help with sleep': { intent: 'AskQuestionIntent', faq: 'which-oils' },
  'how long does PMR take': { intent: 'AskQuestionIntent', faq: 'how-long-pmr' },
  'how long does progressive muscle relaxation take': { intent: 'AskQuestionIntent', faq: 'how-long-pmr' },
  'how often should I practice': { intent: 'AskQuestionIntent', faq: 'how-long-until-results' },
  'Alexa, ask wind down to help me get back to sleep': { intent: 'StartSessionIntent', script: 'back-to-sleep', diffuser: false },
  'help me get back to sleep': { intent: 'StartSessionIntent', script: 'back-to-sleep', diffuser: false },
  "I woke up and can't get back to sleep": { intent: 'StartSessionIntent', script: 'back-to-sleep', diffuser: false },
  'start guided imagery': { intent: 'StartSessionIntent', script: 'guided-imagery', diffuser: true },
  'start a gentle stretch for my back': { intent: 'StartSessionIntent', script: 'back-stretch', diffuser: true },
  'start autogenic training': { intent: 'StartSessionIntent', script: 'autogenic', diffuser: true },
  'what is paced breathing': { intent: 'AskQuestionIntent', faq: 'what-is-paced-breathing' },
  'what is autogenic training': { intent: 'AskQuestionIntent', faq: 'what-is-autogenic' },
  'what is a good sleeping position with back pain': { intent: 'AskQuestionIntent', faq: 'sleep-position-back-pain' },
  'what should I do if I wake up in the night': { intent: 'AskQuestionIntent', faq: 'waking-at-night' },
  'should I look at screens before bed': { intent: 'AskQuestionIntent', faq: 'screens-before-bed' },
  'is PMR safe with back pain': { intent: 'AskQuestionIntent', faq: 'pmr-safe-back-pain' },
  'when should I see a doctor about back pain': { intent: 'AskQuestionIntent', faq: 'back-pain-red-flags' },
  'are essential oils safe for cats and dogs': { intent: 'AskQuestionIntent', faq: 'oils-pets' },
  'can I use essential oils when I am pregnant': { intent: 'AskQuestionIntent', faq: 'oils-pregnancy' },
  'are essential oils safe around babies': { intent: 'AskQuestionIntent', faq: 'oils-children' },
  'can I use a diffuser if I have asthma': { intent: 'AskQuestionIntent', faq: 'oils-asthma' },
  'how do I patch test an essential oil': { intent: 'AskQuestionIntent', faq: 'patch-test' },
  'can I swallow essential oils': { intent: 'AskQuestionIntent', faq: 'swallow-oils' },
  'is it safe to leave a candle warmer on': { intent: 'AskQuestionIntent', faq: 'candle-warmer' },
  'what is MBSR': { intent: 'AskQuestionIntent', faq: 'what-is-mbsr' },
};

const key = (phrase: string): string => phrase.replace(/[.!?]+$/, '').trim();

/**
 * What Alexa hears after the wake word and the invocation: "Alexa, start wind down" and "open wind
 * down" launch; "ask wind down to X" and "ask wind down X" hand X to the model. (virtual-alexa's
 * `utter()` treats any phrase containing "ask" or "tell" as a launch, so the walk does this itself.)
 */
function afterInvocation(phrase: string): { launch: true } | { spoken: string } {
  const t = key(phrase)
    .replace(/^alexa,?\s+/i, '')
    .trim();
  if (/^(?:start|open|launch|talk to)\s+wind down$/i.test(t)) return { launch: true };
  const asked = /^(?:ask|tell)\s+wind down\s+(?:to\s+)?(.+)$/i.exec(t);
  return { spoken: asked ? asked[1]! : t };
}

const broker = recordingBroker();
const local = UtteranceMatcher.fromFile(join(root, MODEL));

function skill(): Harness {
  return harness({ env: { WINDDOWN_MQTT_URL: broker.url } });
}

function commands<T extends Command['type']>(type: T): Extract<Command, { type: T }>[] {
  return broker.published.map((p) => p.command).filter((c): c is Extract<Command, { type: T }> => c.type === type);
}

/** The intent virtual-alexa's matcher finds over the committed model, with its slots, or Fallback. */
function modelIntent(h: Harness, spoken: string): { name: string; slots: Record<string, string> } {
  // SkillContext's typings leave out the model it holds; it is the one virtual-alexa's utter() matches with.
  const context = h.alexa.context() as unknown as { interactionModel(): IModel };
  const utterance = new Utterance(context.interactionModel(), spoken);
  if (!utterance.matched()) return { name: 'AMAZON.FallbackIntent', slots: {} };
  return { name: utterance.intent(), slots: utterance.toJSON() as Record<string, string> };
}

async function walk(phrase: string, promise: Promised): Promise<void> {
  const h = skill();
  const heard = afterInvocation(phrase);
  if ('launch' in promise) {
    expect({ phrase, heard }).toEqual({ phrase, heard: { launch: true } });
    expect(local.match(phrase)).toEqual({ type: 'LaunchRequest' });
    await h.launch();
    await until(() => commands('session.start').length > 0);
    return;
  }
  if ('launch' in heard) throw new Error(`"${phrase}" launches, but promises ${JSON.stringify(promise)}`);
  const found = modelIntent(h, heard.spoken);
  expect({ phrase, intent: found.name }).toEqual({ phrase, intent: promise.intent });
  const dashboard = local.match(phrase);
  expect({ phrase, dashboard: dashboard.type === 'IntentRequest' ? dashboard.intent.name : dashboard.type }).toEqual({ phrase, dashboard: promise.intent });

  const response: SkillResponse = await h.intend(found.name, found.slots);
  if ('faq' in promise) {
    expect({ phrase, answer: textOf(response) }).toEqual({ phrase, answer: faqById(promise.faq)!.answer.replace(/\s+/g, ' ') });
  }
  if ('script' in promise) {
    await until(() => commands('session.start').length > 0);
    const [start] = commands('session.start') as [SessionStart];
    expect({ phrase, script: start.scriptId }).toEqual({ phrase, script: promise.script });
    // A session starts at once, in a calm voice: no question, and the lead leaves settling in to the script.
    expect(response.response.shouldEndSession).toBe(true);
    expect((textOf(response).match(/\bget comfortable\b/gi) ?? []).length).toBeLessThanOrEqual(1);
    expect(textOf(response)).not.toMatch(/minutes?\. get comfortable/i);
    if (promise.diffuser !== undefined) {
      await new Promise((r) => setTimeout(r, 50));
      expect({ phrase, diffuser: commands('diffuser.set').some((c) => c.on) }).toEqual({ phrase, diffuser: promise.diffuser });
    }
  }
}

describe('phrases people are offered', () => {
  it('every quoted README phrase and every dashboard chip has a promise to check', () => {
    const offered = [...readmePhrases(), ...chipPhrases(), ...examplePhrases()].map(key);
    expect(offered.length).toBeGreaterThanOrEqual(15);
    const unchecked = offered.filter((p) => !(p in PROMISES) && !NOT_SPOKEN_BY_PEOPLE.has(p));
    expect(unchecked).toEqual([]);
    // The README's own question example is among them.
    expect(offered).toContain('Alexa, ask wind down what progressive muscle relaxation is');
  });

  const offered = [...new Set([...readmePhrases(), ...chipPhrases(), ...examplePhrases()].map(key))].filter((p) => !NOT_SPOKEN_BY_PEOPLE.has(p));
  it.each(offered)('"%s" reaches the intent it promises', async (phrase) => {
    const promise = PROMISES[phrase];
    expect(promise).toBeDefined();
    await walk(phrase, promise!);
  });
});

describe('the new sessions and questions, through the interaction model', () => {
  it.each(Object.entries(ALSO))('"%s"', async (phrase, promise) => {
    await walk(phrase, promise);
  });

  it('back to sleep keeps every lamp at its dimmest and never starts the diffuser', async () => {
    const h = skill();
    const r = await h.utter('help me get back to sleep');
    expect(r.response.shouldEndSession).toBe(true);
    await until(() => commands('session.start').length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [start] = commands('session.start') as [SessionStart];
    expect(start.scriptId).toBe('back-to-sleep');
    expect(new Set(start.lights.steps.map(([, bri]) => bri))).toEqual(new Set([1]));
    expect(start.lights.end).toBe('fade-off');
    expect(commands('diffuser.set')).toEqual([]);
    expect(textOf(r)).not.toMatch(/\blights?\b|\blamps?\b|diffuser/i);
  });

  it('still says "not sure" to questions off the subject', async () => {
    for (const phrase of ['what is the capital of france', 'how tall is mount everest', 'what is the best pillow']) {
      const h = skill();
      const found = modelIntent(h, phrase);
      expect(found.name).toBe('AskQuestionIntent');
      const r = await h.intend(found.name, found.slots);
      expect(textOf(r)).toMatch(/not sure/i);
    }
  });

  it('every FAQ entry is reached by its own question, said aloud', () => {
    const h = skill();
    for (const entry of FAQ) {
      const spoken = entry.question.replace(/[?]/g, '');
      expect({ q: entry.question, intent: modelIntent(h, spoken).name }).toEqual({ q: entry.question, intent: 'AskQuestionIntent' });
    }
  });
});
