import { FAQ } from '../../src/content/faq';
import { CONCEPTS, questionType } from '../../src/faq/concepts';
import { analyse, entryType } from '../../src/faq/match';
import { ask } from './accuracy';

describe('concepts', () => {
  it.each([
    ['@pregnancy', ['pregnant', 'expecting a baby', 'we are expecting', 'a baby on the way', 'in my second trimester', 'while breastfeeding']],
    ['@child', ['my toddler', 'the baby', 'the kids', 'a newborn', 'my three year old', 'our little one']],
    ['@pet', ['my cat', 'the dogs', 'a budgie', 'our parrot', 'the guinea pig']],
    ['@swallow', ['by mouth', 'swallowing', 'drink it', 'in my tea', 'orally', 'ingested']],
    ['@dilute', ['dilute', 'mix it first', 'a carrier oil', 'neat', 'straight onto', 'rubbing it on']],
    ['@epilepsy', ['epilepsy', 'seizures', 'epileptic fits']],
    ['@nut-allergy', ['a nut allergy', 'allergic to nuts', 'peanuts']],
    ['@paced', ['paced breathing', 'box breathing', 'breathing slowly', 'breaths a minute']],
    ['@pmr', ['PMR', 'p. m. r.', 'progressive muscle relaxation', 'tense and let go', 'tensing and releasing', 'squeezing']],
    ['@body-scan', ['a body scan', 'scanning your body']],
    ['@exhale', ['breathing out', 'the out breath', 'exhaling']],
    ['@night-waking', ['wide awake at 3am', 'woke up', 'middle of the night', 'at four in the morning']],
  ])('%s is heard in its everyday names', (id, phrases) => {
    for (const phrase of phrases) expect({ phrase, has: analyse(phrase).includes(id) }).toEqual({ phrase, has: true });
  });

  it('takes the longest phrase: "expecting a baby" is pregnancy, not a baby', () => {
    expect(analyse('expecting a baby')).toEqual(['@pregnancy']);
    expect(analyse('tense and let go')).toEqual(['@pmr']);
  });

  it('gives each phrase to one concept only', () => {
    const owner = new Map<string, string>();
    for (const concept of CONCEPTS) {
      for (const phrase of concept.phrases) {
        const key = analyse(phrase).join(' ');
        expect({ phrase, owner: owner.get(phrase) ?? concept.id }).toEqual({ phrase, owner: concept.id });
        owner.set(phrase, concept.id);
        expect(key.length).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    ['is lavender safe for my cat', 'safety'],
    ['is it ok to diffuse around a baby', 'safety'],
    ['how long does PMR take', 'duration'],
    ['long should I tense each muscle', 'duration'],
    ['what is a body scan', 'definition'],
    ['what does paced breathing mean', 'definition'],
    ['help me sleep', 'other'],
  ])('reads %p as a %s question', (question, type) => {
    expect(questionType(question)).toBe(type);
  });

  it('types every safety entry as a safety answer', () => {
    for (const entry of FAQ.filter((e) => e.topic === 'safety')) expect(entryType(entry)).toBe('safety');
  });

  // Each concept reaches its entry through questions that share none of the entry's own words.
  it.each([
    ['we have a baby on the way, is the diffuser alright', 'oils-pregnancy'],
    ['is the scent ok for my toddler', 'oils-children'],
    ['is it ok to take oils by mouth', 'swallow-oils'],
    ['should I mix it before putting it on my skin', 'dilute-oils'],
    ['what do people mean by paced breathing', 'what-is-paced-breathing'],
    ['what is box breathing', 'what-is-paced-breathing'],
    ['explain the tense and let go exercise', 'what-is-pmr'],
    ['can oils set off seizures', 'oils-epilepsy'],
    ['which carrier if I have a peanut allergy', 'oils-nut-allergy'],
  ])('%p reaches %s', (question, id) => {
    const answer = ask(question);
    expect(answer.kind === 'faq' ? answer.id : answer.kind).toBe(id);
  });
});
