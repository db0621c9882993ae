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
    expect(analyse('What is P. M. R.?')).toEqual(['@pmr']);
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
    // The question word stays with the question: "how long" is not eaten by the carrier phrase.
    ['long does PMR take', 'how-long-pmr'],
    ['long does progressive muscle relaxation take', 'how-long-pmr'],
    ['progressive muscle relaxation is', 'what-is-pmr'],
    ['essential oils help with sleep', 'which-oils'],
    ['often should I practice', 'how-long-until-results'],
    // The questions people ask next.
    ['paced breathing', 'what-is-paced-breathing'],
    ['autogenic training', 'what-is-autogenic'],
    ['a good sleeping position with back pain', 'sleep-position-back-pain'],
    ['should I sleep with back pain', 'sleep-position-back-pain'],
    ['I wake up in the night', 'waking-at-night'],
    ['screens before bed', 'screens-before-bed'],
    ['PMR safe with back pain', 'pmr-safe-back-pain'],
    ['progressive muscle relaxation safe with a bad back', 'pmr-safe-back-pain'],
    ['stretches can I do in bed for my back', 'back-stretches'],
    ['guided imagery', 'what-is-guided-meditation'],
    // Safety.
    ['essential oils safe for cats', 'oils-pets'],
    ['the diffuser safe for my dog', 'oils-pets'],
    ['I use essential oils when pregnant', 'oils-pregnancy'],
    ['essential oils safe for babies', 'oils-children'],
    ['I use a diffuser with asthma', 'oils-asthma'],
    ['I swallow essential oils', 'swallow-oils'],
    ['safe to leave a candle warmer on', 'candle-warmer'],
    ['patch test an essential oil', 'patch-test'],
    ['I see a doctor about back pain', 'back-pain-red-flags'],
    ['my leg is numb', 'back-pain-red-flags'],
    ['I feel anxious', 'anxious-at-night'],
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
    'tall is mount everest',
    'the best mattress to buy',
    'dogs bark at night',
    '',
    'the',
  ])('does not answer the off-topic %p', (question) => {
    expect(matcher.match(question)).toBeNull();
  });

  it('does not let a synonym pull a question to MBSR: feeling anxious is not stress reduction', () => {
    for (const q of ['anxious', 'I feel anxious', 'I am anxious at night', 'worried']) expect([q, idOf(q)]).not.toEqual([q, 'what-is-mbsr']);
    expect(idOf('MBSR')).toBe('what-is-mbsr');
    expect(idOf('mindfulness based stress reduction')).toBe('what-is-mbsr');
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
