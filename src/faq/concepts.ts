/**
 * The ideas a question is about, whatever words it uses. People ask the same thing many ways:
 * "expecting a baby", "pregnant", "with a bump"; "by mouth", "swallow", "in my tea"; "tense and let
 * go", "PMR". Each concept is a group of everyday phrases; a phrase found in a question (or in an FAQ
 * entry) becomes the concept's one token, so the matcher compares ideas, not spellings.
 *
 * Phrases are matched word by word after the matcher's stemmer, longest first, and a word is used by
 * one phrase only: "expecting a baby" is pregnancy, never a baby. A concept is kept narrow: a broad
 * one makes different questions look alike. Every group is tested (test/faq/concepts.test.ts).
 *
 * Question types say what kind of answer is wanted ("is it safe", "how long", "what is"), read from
 * the words that carry them, which survive Alexa's carrier phrase ("how long does PMR take" reaches
 * the skill as "long does PMR take").
 *
 * Pure: no I/O.
 */

export interface Concept {
  /** The token it becomes: '@…' never meets an ordinary word; a plain word joins that word's synonyms. */
  id: string;
  phrases: readonly string[];
}

export const CONCEPTS: readonly Concept[] = [
  // Safety: who is in the room, and what the oil touches. Plurals and -ing forms need no phrase of
  // their own: phrases meet the question after the stemmer.
  {
    id: '@pregnancy',
    phrases: [
      'pregnant', 'pregnancy', 'expecting a baby', 'expecting', 'having a baby', 'baby on the way', 'bun in the oven', 'bump',
      'trimester', 'mum to be', 'mom to be', 'trying to conceive', 'breastfeeding', 'breast feeding', 'prenatal', 'antenatal',
    ],
  },
  {
    id: '@child',
    phrases: ['baby', 'toddler', 'kid', 'child', 'children', 'infant', 'newborn', 'little one', 'son', 'daughter', 'nursery', 'cot', 'crib', 'year old', 'years old', 'grandchild'],
  },
  {
    id: '@pet',
    phrases: ['pet', 'cat', 'kitten', 'dog', 'puppy', 'bird', 'parrot', 'budgie', 'canary', 'rabbit', 'bunny', 'hamster', 'guinea pig', 'ferret', 'animal'],
  },
  {
    id: '@swallow',
    phrases: ['swallow', 'by mouth', 'orally', 'oral', 'drink', 'ingest', 'eat', 'taste', 'take internally', 'in my tea', 'in tea', 'in water', 'in my water', 'in food', 'under my tongue'],
  },
  {
    id: '@dilute',
    phrases: ['dilute', 'dilution', 'carrier', 'neat', 'undiluted', 'straight onto', 'straight on', 'directly on', 'directly onto', 'mix', 'rub', 'on my skin', 'on skin', 'apply'],
  },
  // Any oil by name: "is bergamot good for sleep" is the same question as "is lavender good for sleep".
  {
    id: '@oil-name',
    phrases: ['lavender', 'chamomile', 'camomile', 'ylang ylang', 'eucalyptus', 'peppermint', 'bergamot', 'cedarwood', 'sandalwood', 'frankincense', 'tea tree', 'rosemary', 'sage', 'vetiver', 'jasmine', 'neroli'],
  },
  { id: '@epilepsy', phrases: ['epilepsy', 'epileptic', 'seizure', 'fits', 'convulsion'] },
  { id: '@nut-allergy', phrases: ['nut allergy', 'allergic to nuts', 'allergic to almonds', 'almond allergy', 'tree nut', 'nut', 'peanut'] },
  { id: '@asthma', phrases: ['asthma', 'asthmatic', 'inhaler', 'wheeze', 'wheezy', 'breathing problems', 'copd'] },
  // The practices by their everyday names.
  {
    id: '@paced',
    phrases: ['paced breathing', 'slow breathing', 'breathing slowly', 'breathe slowly', 'box breathing', 'square breathing', 'resonant breathing', 'coherent breathing', 'four seven eight', 'breaths a minute', 'breaths per minute'],
  },
  {
    id: '@pmr',
    phrases: [
      'progressive muscle relaxation', 'progressive relaxation', 'pmr', 'muscle relaxation', 'tense and relax', 'tense and release', 'tense and let go',
      'tensing and relaxing', 'tensing and releasing', 'squeeze and release', 'clench and release', 'tensing', 'squeeze', 'clench', 'tense my muscles', 'tense each muscle',
    ],
  },
  { id: '@body-scan', phrases: ['body scan', 'scan my body', 'scan your body', 'scan through my body'] },
  { id: '@exhale', phrases: ['breathe out', 'breathing out', 'out breath', 'exhale', 'exhalation'] },
  // The night.
  {
    id: '@night-waking',
    phrases: [
      'wake up in the night', 'woke up', 'woken up', 'wide awake', 'awake at night', 'middle of the night', 'night waking', 'wake at night',
      'waking up', 'three in the morning', 'two in the morning', 'four in the morning', 'three am', 'two am', 'four am', '2am', '3am', '4am', 'small hours',
      'early hours', 'woke', 'woken', 'awake', 'wake too early', 'wake up too early', 'early waking', 'back to sleep',
    ],
  },
  {
    id: '@racing-mind',
    phrases: ['racing mind', 'mind racing', 'mind is racing', 'thoughts racing', 'thoughts keep racing', 'busy mind', 'cant switch off', 'overthinking', 'mind wanders', 'mind keeps wandering'],
  },
  // Falling asleep in everyday words: the plain word "sleep", which the matcher's synonyms already know.
  { id: 'sleep', phrases: ['drop off', 'nod off', 'drift off', 'doze off', 'kip', 'shut eye'] },
  {
    id: '@auto-off',
    phrases: ['switch itself off', 'turn itself off', 'turns itself off', 'off by itself', 'off on its own', 'auto off', 'timer', 'on all night', 'run all night'],
  },
  // What makes a stretch a reason to stop: nerve signs down the leg.
  { id: '@nerve-signs', phrases: ['tingle', 'tingling', 'pins and needles', 'pain down my leg', 'pain travels down', 'shooting pain', 'sciatica'] },
  { id: '@diffuser-off', phrases: ['turn off the diffuser', 'switch off the diffuser', 'stop the diffuser', 'turn the diffuser off', 'switch the diffuser off'] },
  { id: '@no-diffuser', phrases: ['without the diffuser', 'without a diffuser', 'no diffuser', 'skip the diffuser', 'without the oils', 'dont use the diffuser', 'dont want the diffuser', 'do not want the diffuser'] },
];

export type QuestionType = 'safety' | 'duration' | 'definition' | 'other';

/** Words that say the question is about safety; they survive the carrier phrase. */
const SAFETY_CUES = /\b(safe|safety|ok|okay|alright|all right|harm|harmful|hurt|dangerous|danger|toxic|poison\w*|bad for|risk\w*|careful|allowed|avoid|should not|shouldnt|worry)\b/;
const DURATION_CUES = /\b(how long|long (is|does|should|will)|how many minutes|how much time|minutes|duration|how often|how soon)\b/;
const DEFINITION_CUES = /^(what is|whats|what are|what does|define|explain|meaning of|tell me about)\b|\b(mean|means|stand for)\b/;

/** What kind of answer the question asks for. */
export function questionType(question: string): QuestionType {
  const q = question.toLowerCase().replace(/['’]/g, '');
  if (SAFETY_CUES.test(q)) return 'safety';
  if (DURATION_CUES.test(q)) return 'duration';
  if (DEFINITION_CUES.test(q)) return 'definition';
  return 'other';
}
