/**
 * Typed text → what Alexa would have sent: a LaunchRequest, or an intent with its slots, resolved
 * through the skill's real interaction model (its sample utterances, slot types and synonyms). A small
 * matcher, not a speech model: each sample becomes a pattern over its literal words with `{slot}` holes,
 * a hole accepts what its slot type accepts, and the most specific sample wins (the most literal
 * words, then fewest free-text slots), as Alexa prefers "what is my bedtime" over "what is {question}".
 */
import { readFileSync } from 'node:fs';
import type { IntentRequest, Slot } from 'ask-sdk-model';
import { parseDigits, parseNumber } from '../src/spoken/numbers';
import { parseTime } from './spoken-values';

interface ModelSlot {
  name: string;
  type: string;
  samples?: string[];
}
interface ModelIntent {
  name: string;
  slots?: ModelSlot[];
  samples?: string[];
}
interface ModelType {
  name: string;
  values: { id?: string; name: { value: string; synonyms?: string[] } }[];
}
export interface InteractionModel {
  interactionModel: { languageModel: { invocationName: string; intents: ModelIntent[]; types?: ModelType[] } };
}

export type Utterance =
  | { type: 'LaunchRequest' }
  | { type: 'IntentRequest'; intent: IntentRequest['intent'] };

/** Built-in intents have Alexa's own samples, which the model leaves out; these are the common ones. */
const BUILT_IN_SAMPLES: Record<string, string[]> = {
  'AMAZON.StopIntent': ['stop', 'stop it', 'stop please', 'quit', 'exit', 'enough', 'be quiet', 'shut up', 'off', 'goodbye', 'good night'],
  'AMAZON.CancelIntent': ['cancel', 'cancel that', 'never mind', 'nevermind', 'forget it'],
  'AMAZON.HelpIntent': ['help', 'help me', 'what can i say', 'what can you do', 'how does this work'],
  'AMAZON.PauseIntent': ['pause', 'pause it', 'pause the session', 'hold on', 'wait'],
  'AMAZON.ResumeIntent': ['resume', 'continue', 'unpause', 'resume the session'],
  'AMAZON.YesIntent': ['yes', 'yeah', 'yes please', 'sure', 'ok', 'okay', 'yep', 'please do'],
  'AMAZON.NoIntent': ['no', 'no thanks', 'no thank you', 'nope', 'not now'],
  'AMAZON.RepeatIntent': ['repeat', 'repeat that', 'say that again', 'again', 'what did you say'],
  'AMAZON.StartOverIntent': ['start over', 'restart', 'start again', 'from the beginning'],
  'AMAZON.NavigateHomeIntent': ['go home', 'home'],
};

/** Lower case, no punctuation except ":" in times and "'" in words; "p.m." becomes "p m". */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/(\d):(\d)/g, '$1\u0000$2')
    .replace(/[^a-z0-9'\u0000]+/g, ' ')
    .replace(/\u0000/g, ':')
    .replace(/(^| )'+|'+( |$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Pattern {
  intent: string;
  regex: RegExp;
  slotNames: string[];
  literalWords: number;
}

interface Candidate {
  intent: string;
  slots: Record<string, Slot>;
  score: number;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(intent: string, sample: string): Pattern {
  const slotNames: string[] = [];
  const tokens: string[] = [];
  let literalWords = 0;
  for (const part of sample.split(/(\{[A-Za-z0-9_]+\})/)) {
    const slot = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
    if (slot) {
      slotNames.push(slot[1]!);
      tokens.push('(.+?)');
      continue;
    }
    const words = normalize(part);
    if (words === '') continue;
    literalWords += words.split(' ').length;
    tokens.push(escapeRegex(words));
  }
  return { intent, regex: new RegExp(`^${tokens.join(' ')}$`), slotNames, literalWords };
}

export class UtteranceMatcher {
  readonly invocationName: string;
  private readonly patterns: Pattern[] = [];
  private readonly slotTypes = new Map<string, Map<string, string>>();
  private readonly slotTypeOf = new Map<string, string>();
  private readonly customValues = new Map<string, Map<string, { id: string; name: string }>>();
  private readonly elicitation = new Map<string, Pattern[]>();

  constructor(model: InteractionModel, private readonly skillId = 'amzn1.ask.skill.local-winddown') {
    const lm = model.interactionModel.languageModel;
    this.invocationName = normalize(lm.invocationName);
    for (const type of lm.types ?? []) {
      const values = new Map<string, { id: string; name: string }>();
      for (const value of type.values) {
        const entry = { id: value.id ?? value.name.value, name: value.name.value };
        for (const said of [value.name.value, ...(value.name.synonyms ?? [])]) values.set(normalize(said), entry);
      }
      this.customValues.set(type.name, values);
    }
    for (const intent of lm.intents) {
      for (const slot of intent.slots ?? []) {
        this.slotTypeOf.set(`${intent.name}.${slot.name}`, slot.type);
        if (slot.samples) this.elicitation.set(`${intent.name}.${slot.name}`, slot.samples.map((s) => compile(intent.name, s)));
      }
      const samples = [...(intent.samples ?? []), ...(BUILT_IN_SAMPLES[intent.name] ?? [])];
      for (const sample of samples) this.patterns.push(compile(intent.name, sample));
    }
  }

  static fromFile(path: string): UtteranceMatcher {
    return new UtteranceMatcher(JSON.parse(readFileSync(path, 'utf8')) as InteractionModel);
  }

  /** The intents this model knows, for listing in a UI or checking a button's phrase. */
  get intentNames(): string[] {
    return [...new Set(this.patterns.map((p) => p.intent))];
  }

  /**
   * What Alexa would send for `text`. "Alexa, open wind down" and "start wind down" launch; "ask wind
   * down to start a body scan" and plain "start a body scan" (said inside an open session) both give
   * the intent. When the skill has just asked for a slot (`elicit`), the slot's own samples are tried
   * first, as the dialog model does. Anything else is AMAZON.FallbackIntent.
   */
  match(text: string, elicit?: { intent: string; slot: string }): Utterance {
    let t = normalize(text).replace(/^(alexa|echo|computer) /, '');
    const name = escapeRegex(this.invocationName);
    if (new RegExp(`^(?:(?:open|start|launch|begin|play|run|use) )?${name}(?: please)?$`).test(t)) return { type: 'LaunchRequest' };
    t = t
      .replace(new RegExp(`^(?:ask|tell) ${name} (?:to |for |about |if |whether |that )?`), '')
      .replace(new RegExp(`^(?:use|using|with|from) ${name} (?:to )?`), '')
      .replace(new RegExp(` (?:using|with|from|on|in) ${name}$`), '')
      .trim();
    if (t === '') return { type: 'LaunchRequest' };

    if (elicit) {
      const slotted = this.best(this.elicitation.get(`${elicit.intent}.${elicit.slot}`) ?? [], t);
      if (slotted) return this.intentRequest(slotted);
    }
    const found = this.best(this.patterns, t);
    if (found) return this.intentRequest(found);
    return { type: 'IntentRequest', intent: { name: 'AMAZON.FallbackIntent', confirmationStatus: 'NONE', slots: {} } };
  }

  private best(patterns: Pattern[], text: string): Candidate | undefined {
    let best: Candidate | undefined;
    for (const pattern of patterns) {
      const m = pattern.regex.exec(text);
      if (!m) continue;
      const candidate = this.fill(pattern, m.slice(1));
      if (candidate && (best === undefined || candidate.score > best.score)) best = candidate;
    }
    return best;
  }

  private fill(pattern: Pattern, captured: string[]): Candidate | undefined {
    const slots: Record<string, Slot> = {};
    // Literal words count most; a slot that only matched as free text or as an unknown value counts less.
    let score = pattern.literalWords * 10;
    for (const [i, slotName] of pattern.slotNames.entries()) {
      const said = (captured[i] ?? '').trim();
      const type = this.slotTypeOf.get(`${pattern.intent}.${slotName}`) ?? 'AMAZON.SearchQuery';
      const slot: Slot = { name: slotName, value: said, confirmationStatus: 'NONE' };
      switch (type) {
        case 'AMAZON.NUMBER': {
          // "twenty five" is 25; "four eight two nine one five", a code said digit by digit, is 482915.
          const n = parseNumber(said) ?? parseDigits(said);
          if (n === undefined) return undefined;
          slot.value = String(n);
          score += 5;
          break;
        }
        case 'AMAZON.TIME': {
          const time = parseTime(said);
          if (time === undefined) return undefined;
          slot.value = time;
          score += 5;
          break;
        }
        case 'AMAZON.SearchQuery':
          score -= said.split(' ').length;
          break;
        default: {
          const values = this.customValues.get(type);
          const value = values?.get(said);
          const authority = `amzn1.er-authority.echo-sdk.${this.skillId}.${type}`;
          if (value) {
            slot.resolutions = {
              resolutionsPerAuthority: [{ authority, status: { code: 'ER_SUCCESS_MATCH' }, values: [{ value: { name: value.name, id: value.id } }] }],
            };
            score += 5;
          } else {
            // Alexa passes values outside the list on, unresolved; only a sample with nothing better wins so.
            slot.resolutions = { resolutionsPerAuthority: [{ authority, status: { code: 'ER_SUCCESS_NO_MATCH' }, values: [] }] };
            score -= 8 + said.split(' ').length;
          }
        }
      }
      slots[slotName] = slot;
    }
    return { intent: pattern.intent, slots, score };
  }

  private intentRequest(candidate: Candidate): Utterance {
    // Every declared slot is present, empty when not said, as in Alexa's requests.
    const slots: Record<string, Slot> = {};
    for (const [key, type] of this.slotTypeOf) {
      const cut = key.lastIndexOf('.');
      const intent = key.slice(0, cut);
      const slotName = key.slice(cut + 1);
      if (intent !== candidate.intent || type === undefined) continue;
      slots[slotName] = candidate.slots[slotName] ?? { name: slotName, confirmationStatus: 'NONE' };
    }
    return { type: 'IntentRequest', intent: { name: candidate.intent, confirmationStatus: 'NONE', slots } };
  }
}
