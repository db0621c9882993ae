import { FAQ } from '../../src/content/faq';
import type { FaqEntry } from '../../src/content/schema';
import { analyse, createFaqMatcher, stem } from '../../src/faq/match';

const matcher = createFaqMatcher(FAQ);
const idOf = (q: string): string | null => matcher.match(q)?.entry.id ?? null;

describe('FAQ matching', () => {
  it('stems the forms of a word together', () => {
    expect(new Set(['relaxing', 'relaxation', 'relaxed', 'relax'].map(stem))).toEqual(new Set(['relax']));
    expect(stem('meditating')).toBe(stem('meditation'));
    expect(stem('muscles')).toBe(stem('muscle'));
    expect(analyse('What is P. M. R.?')).toEqual(['pmr']);
  });

  it('finds every entry by its own question', () => {
    for (const entry of FAQ) expect([entry.question, idOf(entry.question)]).toEqual([entry.question, entry.id]);
  });

  // What Alexa puts in the AMAZON.SearchQuery slot: the words after the carrier phrase.
  it.each([
    ['progressive muscle relaxation', 'what-is-pmr'],
    ['pmr', 'what-is-pmr'],
    ['until I see results', 'how-long-until-results'],
    ['long before I notice a difference', 'how-long-until-results'],
    ['mindfulness', 'what-is-mindfulness'],
    ['a body scan', 'what-is-body-scan'],
    ['my mind keeps wandering', 'mind-wanders'],
    ['essential oils are good for sleep', 'which-oils'],
    ['lavender', 'which-oils'],
    ['this medical advice', 'is-it-medical'],
    ['I need a therapist', 'need-a-therapist'],
    ['happens if I fall asleep', 'fall-asleep-during'],
    ['I do belly breathing', 'diaphragmatic-breathing'],
  ])('answers the paraphrase %p with %p', (question, id) => {
    expect(idOf(question)).toBe(id);
  });

  it.each([
    'the capital of France',
    'the weather tomorrow',
    'the best pillow',
    'can I sleep on the moon',
    'a good recipe for pasta',
    'the meaning of life',
    'the stock market',
    '',
    'the',
  ])('does not answer the off-topic %p', (question) => {
    expect(matcher.match(question)).toBeNull();
  });

  it('never answers a question about something no entry covers, even with shared words', () => {
    const entries: FaqEntry[] = [
      { id: 'oils', topic: 'aromatherapy', question: 'Which essential oils help with sleep?', alternatives: [], keywords: ['lavender'], answer: 'Lavender.' },
      { id: 'pmr', topic: 'technique', question: 'What is progressive muscle relaxation?', alternatives: [], keywords: ['tense'], answer: 'Tense and release.' },
    ];
    const small = createFaqMatcher(entries);
    expect(small.match('which oils help me sleep')?.entry.id).toBe('oils');
    expect(small.match('which vitamins help me sleep')).toBeNull();
    expect(small.match('muscle cramps at night')).toBeNull();
  });
});
