/**
 * Free-text question → FAQ entry, or nothing.
 *
 * Retrieval is MiniSearch's BM25 over each entry's question, alternatives and keywords, after a small
 * analyser: lower case, stop words (question words and filler) out, a light suffix stemmer, and a
 * synonym table applied to the query. Ranking alone always returns *something*, so the answer is only
 * given when the best entry is a confident match:
 *
 *  - the query has at least one content word left after the stop words, and
 *  - the best entry matches at least `MIN_COVERAGE` of the query's content words (a synonym or a
 *    prefix counts as a match for the word it came from), and
 *  - its BM25 score is at least `MIN_SCORE`.
 *
 * Coverage is what keeps a question from being answered by a different one: "can I sleep on the moon"
 * shares "sleep" with many entries, but half its content words match nothing, so it gets no answer.
 *
 * Pure: no I/O, no clock. Build the index once (`createFaqMatcher`) and reuse it.
 */
import MiniSearch from 'minisearch';
import type { FaqEntry } from '../content/schema';
import { CONCEPTS, questionType, type QuestionType } from './concepts';

export interface FaqMatch {
  entry: FaqEntry;
  /** BM25 score of the best entry (not normalised; for logs and tests). */
  score: number;
  /** Share of the query's content words the entry matched, 0–1. */
  coverage: number;
}

export const MIN_COVERAGE = 0.6;
export const MIN_SCORE = 2;

/** Words that carry no topic: question words, pronouns, filler and generic verbs. */
const STOP_WORDS = new Set(
  (
    'a an the and or but if of to in on at for with about from by as into than then so too very ' +
    'is are am was were be been being do does did done doing have has had can could should would will shall may might must ' +
    'i im ive id ill me my mine myself you your yours we our us it its this that these those there here they them their he she his her ' +
    'what whats how why when where which who whom whose ' +
    'any some much many more most really actually just also even still ever please ok okay again anymore now ' +
    'cant cannot dont doesnt wont isnt arent ' +
    'get gets got make makes made making thing things way ways kind kinds sort something anything ' +
    'help helps helped helping good best better use using used try trying need needs want wants ' +
    'know tell say said see feel feels like go going goes come comes came coming take takes took give gives explain ' +
    'one two three four five six seven eight nine ten eleven twelve ' +
    'alexa wind down skill question questions people mean means meant exactly supposed wonder wondering wondered'
  ).split(/\s+/),
);

/**
 * Words that mean the same thing here, after stemming. A query word matches an entry when any word of
 * its group does. Kept small and specific to the subject: broad groups make false matches. A word
 * belongs to one group only; "stress" in an MBSR group once made "anxious" find MBSR (the MBSR entry
 * names "mindfulness based stress reduction" itself, so it needs no group).
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // "PMR", "tense and let go" and the rest are one concept (concepts.ts); a group here would make every
  // "relax" mean PMR.
  ['progress', 'muscl', 'relax'],
  ['oil', 'essential', 'aroma', 'aromatherapy', 'scent', 'smell', 'fragranc'],
  ['diffus', 'diffuser', 'humidifi'],
  ['sleep', 'asleep', 'insomnia', 'sleepless'],
  ['pain', 'ach', 'hurt', 'sore', 'ache'],
  ['back', 'spine', 'lumbar'],
  ['stress', 'anxiety', 'anxious', 'worri', 'worry'],
  ['light', 'lamp', 'bulb', 'hue'],
  ['bedtim', 'bedtime', 'evening', 'tonight', 'night'],
  ['long', 'durat', 'minut'],
  ['result', 'differ', 'improv', 'benefit'],
  ['meditat', 'medit'],
  ['breath', 'breath', 'inhal', 'exhal'],
  ['belli', 'diaphragm', 'diaphragmat'],
  ['doctor', 'clinician', 'medic', 'physician', 'therapist'],
  ['stop', 'paus', 'end', 'quit'],
  ['wander', 'distract', 'racing'],
];

/** A light suffix stemmer: enough that "relaxing", "relaxation" and "relaxed" meet, no more. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || w.startsWith('@')) return w;
  const rules: readonly [RegExp, string, number][] = [
    [/ies$/, 'y', 3],
    [/ational$/, 'ate', 4],
    [/ations?$/, '', 3],
    [/ating$/, '', 3],
    [/ings?$/, '', 3],
    [/edly$/, '', 3],
    [/ed$/, '', 3],
    [/ness$/, '', 3],
    [/ful$/, '', 3],
    [/ly$/, '', 3],
    [/([^su])s$/, '$1', 3],
  ];
  for (const [suffix, replacement, minStem] of rules) {
    if (suffix.test(w)) {
      let next = w.replace(suffix, replacement);
      // "scanning", "stopped": the doubled consonant goes with the suffix (not l, s or z: "falling", "pressing").
      if (next !== w && /([^aeiouylsz])\1$/.test(next)) next = next.slice(0, -1);
      if (next.length >= minStem) {
        w = next;
        break;
      }
    }
  }
  if (w.length > 4 && w.endsWith('ate')) w = w.slice(0, -3);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

/** Each concept's phrases as stemmed words, longest first, so the longest phrase wins where two start. */
const PHRASES: readonly { words: readonly string[]; id: string }[] = CONCEPTS.flatMap((concept) =>
  concept.phrases.map((phrase) => ({ id: concept.id, words: phrase.toLowerCase().replace(/['’]/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(stem) })),
).sort((a, b) => b.words.length - a.words.length);

/** The concept whose phrase starts at `at` in the stemmed words, and how many words it takes. */
function conceptAt(stems: readonly string[], at: number): { id: string; length: number } | null {
  for (const phrase of PHRASES) {
    if (phrase.words.every((word, i) => stems[at + i] === word)) return { id: phrase.id, length: phrase.words.length };
  }
  return null;
}

/**
 * Words of a text, lower-cased, stemmed, a concept's phrase replaced by its token, then stop words
 * removed. "PMR" and "p. m. r." both become "@pmr"; "expecting a baby" becomes "@pregnancy".
 */
export function analyse(text: string): string[] {
  const cleaned = text
    .toLowerCase()
    .replace(/\bp\.?\s*m\.?\s*r\b\.?/g, 'pmr')
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '');
  const tokens = cleaned.split(/[^\p{L}\p{N}]+/u).filter((token) => token.length > 0);
  const stems = tokens.map(stem);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const concept = conceptAt(stems, i);
    if (concept !== null) {
      out.push(concept.id);
      i += concept.length;
      continue;
    }
    if (!STOP_WORDS.has(tokens[i] as string)) out.push(stems[i] as string);
    i += 1;
  }
  return out;
}

const GROUP_OF = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) {
  for (const word of group) GROUP_OF.set(stem(word), [...new Set([...(GROUP_OF.get(stem(word)) ?? []), ...group.map(stem)])]);
}

/** The word and its synonyms, each already stemmed. */
export function expand(term: string): readonly string[] {
  return GROUP_OF.get(term) ?? [term];
}

/**
 * How well one phrasing of an entry and the query cover each other: the share of the phrase's content
 * words the query has, times the share of the query's words the phrase has (synonyms count).
 */
function phraseFit(phrase: string, queryWords: readonly string[]): number {
  const words = [...new Set(analyse(phrase))];
  if (words.length === 0 || queryWords.length === 0) return 0;
  const meets = (a: string, b: string): boolean => a === b || expand(a).includes(b);
  const phraseShare = words.filter((w) => queryWords.some((q) => meets(q, w))).length / words.length;
  const queryShare = queryWords.filter((q) => words.some((w) => meets(q, w))).length / queryWords.length;
  return phraseShare * queryShare;
}

interface Doc {
  id: string;
  question: string;
  alternatives: string;
  keywords: string;
}

/**
 * Who is in the room, or what the oil touches: a question that names one of these is about its
 * safety first ("I'm eight weeks pregnant, is lavender ok" is the pregnancy answer, not the lavender one).
 */
const SAFETY_CONCEPTS: ReadonlySet<string> = new Set(['@pregnancy', '@child', '@pet', '@epilepsy', '@nut-allergy', '@asthma', '@swallow', '@nerve-signs']);

/**
 * Share of the query's content words the entry matched. A concept ("@paced") weighs double: it
 * stands for a phrase the person chose, so "how many breaths a minute is relaxing" is about paced
 * breathing even though "relaxing" matches nothing in that entry. A safety concept weighs triple.
 */
function coverageOf(words: readonly string[], matched: ReadonlySet<string>): number {
  // Triple only where oils are in the question: "dogs bark at night" is not about oils and pets.
  const aroma = words.some((word) => word === '@oil-name' || word === 'diffuser' || expand(word).includes('oil'));
  // An oil's name is only which oil: it weighs as a plain word.
  const weight = (word: string): number => (SAFETY_CONCEPTS.has(word) && aroma ? 3 : word.startsWith('@') && word !== '@oil-name' ? 2 : 1);
  const total = words.reduce((sum, word) => sum + weight(word), 0);
  const hit = words.filter((word) => hits(word, matched)).reduce((sum, word) => sum + weight(word), 0);
  return hit / total;
}

function hits(word: string, matched: ReadonlySet<string>): boolean {
  return expand(word).some((t) => matched.has(t));
}

/**
 * Enough of the query is this entry's: its coverage reaches `MIN_COVERAGE`, or the query is made only
 * of concepts and the entry answers one of them ("my son has epilepsy, can we use the diffuser" names
 * a child and epilepsy; the epilepsy answer is right, though it says nothing of sons).
 */
function enough(words: readonly string[], matched: ReadonlySet<string>, coverage: number): boolean {
  if (coverage >= MIN_COVERAGE) return true;
  const missed = words.filter((word) => !hits(word, matched));
  return missed.every((word) => word.startsWith('@')) && words.some((word) => word.startsWith('@') && hits(word, matched));
}

export interface FaqMatcher {
  match(question: string): FaqMatch | null;
}

/** The kind of answer an entry gives: every safety entry answers "is it safe", whatever its wording. */
export function entryType(entry: FaqEntry): QuestionType {
  return entry.topic === 'safety' ? 'safety' : questionType(entry.question);
}

/** How much a shared question type adds to an entry's rank: enough to break a tie, not to win alone. */
const TYPE_BONUS = 0.25;

export function createFaqMatcher(entries: readonly FaqEntry[]): FaqMatcher {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const types = new Map(entries.map((e) => [e.id, entryType(e)]));
  const index = new MiniSearch<Doc>({
    fields: ['question', 'alternatives', 'keywords'],
    idField: 'id',
    tokenize: (text) => [text],
    processTerm: (text) => analyse(text),
  });
  index.addAll(
    entries.map((e) => ({
      id: e.id,
      question: e.question,
      alternatives: e.alternatives.join(' . '),
      keywords: e.keywords.join(' . '),
    })),
  );

  return {
    match(question: string): FaqMatch | null {
      const words = [...new Set(analyse(question))];
      if (words.length === 0) return null;
      const asked = questionType(question);
      const original = new Set(words);
      // Each content word asks for itself or any of its synonyms; prefixes catch a stem the stemmer missed.
      const queries = words.map((word) => ({
        queries: [...expand(word)],
        combineWith: 'OR' as const,
      }));
      const results = index.search(
        { queries, combineWith: 'OR' },
        {
          boost: { question: 2, alternatives: 1.5, keywords: 1.2 },
          prefix: (term) => term.length >= 5,
          fuzzy: (term) => (term.length >= 7 ? 0.15 : false),
          tokenize: (text) => [text],
          processTerm: (term) => term,
          // A word as asked counts more than its synonyms.
          boostTerm: (term) => (original.has(term) ? 1 : 0.5),
        },
      );
      const top = results[0];
      if (!top) return null;
      // BM25 alone favours long entries that repeat a word; re-rank the close candidates by how much of
      // the query each one covers and how much of one of its own phrasings the query covers.
      let best: FaqMatch | null = null;
      let bestRank = -1;
      for (const result of results) {
        // A rare word ("switch off the diffuser") scores low beside a common one ("bedtime"): every
        // entry that covers enough of the query is a candidate, however it scored.
        if (result.score < MIN_SCORE) break;
        const entry = byId.get(String(result.id));
        if (!entry) continue;
        const matched = new Set(result.queryTerms);
        const coverage = coverageOf(words, matched);
        if (!enough(words, matched, coverage)) continue;
        // The entry's own question counts a little more than its alternatives.
        const phrasing = Math.max(phraseFit(entry.question, words), ...entry.alternatives.map((p) => 0.9 * phraseFit(p, words)));
        const sameType = asked !== 'other' && types.get(entry.id) === asked ? TYPE_BONUS : 0;
        const rank = coverage + phrasing + result.score / top.score / 10 + sameType;
        if (rank > bestRank) {
          bestRank = rank;
          best = { entry, score: result.score, coverage };
        }
      }
      if (!best || best.score < MIN_SCORE) return null;
      return best;
    },
  };
}
