import { safetyReply, triage, triageAll } from '../../src/safety/triage';

const tierOf = (text: string) => triage(text)?.tier ?? null;

describe('triage', () => {
  it.each([
    // Numbness around the genitals or buttocks (saddle).
    ["I've lost feeling between my legs and my back hurts", 'saddle-numbness'],
    ['my bottom feels numb', 'saddle-numbness'],
    ['tingling around my genitals', 'saddle-numbness'],
    // New trouble passing urine, loss of bladder or bowel control.
    ["my back hurts and I suddenly can't control my bladder", 'bladder-bowel'],
    ["I can't pee", 'bladder-bowel'],
    ['I have trouble passing urine since yesterday', 'bladder-bowel'],
    ['I wet myself', 'bladder-bowel'],
    ['my bowels are not working and my back is sore', 'bladder-bowel'],
    // Weakness or numbness in both legs.
    ['both legs are numb', 'both-legs'],
    ['my legs feel weak and my back hurts', 'both-legs'],
    ["I can't move my legs", 'both-legs'],
    // Back pain after a serious fall or accident.
    ['I hurt my back falling down the stairs', 'after-fall'],
    ['my back has hurt since a car accident', 'after-fall'],
    ['I fell off a ladder and my spine is sore', 'after-fall'],
    // Chest pain.
    ['I have chest pain', 'chest-pain'],
    ['there is a crushing pressure in my chest', 'chest-pain'],
  ])('%p is an emergency (%s)', (text, sign) => {
    expect(triage(text)).toEqual({ tier: 'emergency', sign });
  });

  it.each([
    "I don't want to live anymore",
    'I want to die',
    'I want to kill myself',
    'I feel hopeless and want to end it',
    "I'm thinking about suicide",
    "I can't go on",
    'everyone would be better off without me',
    'I keep hurting myself',
    'what is the point of living',
  ])('%p is a crisis', (text) => {
    expect(tierOf(text)).toBe('crisis');
  });

  it.each([
    'back pain and a fever',
    'I have a high temperature and my back aches',
    "I've been losing weight and my back hurts",
    'the pain is worse at night',
    'it hurts even at rest',
    'I had cancer and now my back hurts',
    'my back pain has lasted for weeks',
    'my left leg is numb',
  ])('%p is see a doctor soon', (text) => {
    expect(tierOf(text)).toBe('doctor-soon');
  });

  it.each([
    'what if I fall asleep during a session',
    'I fell asleep last night before it ended',
    'do the lights rise and fall with my breath',
    'what temperature should my bedroom be',
    'my legs are heavy and warm',
    'I feel tingling in my hands when I relax',
    'how do I end the session',
    "I can't sleep",
    'help me get back to sleep',
    'what is progressive muscle relaxation',
    'is lavender safe for cats',
    'tense your calves and breathe in',
    'breathing into my chest',
    '',
  ])('%p is none of them', (text) => {
    expect(triage(text)).toBeNull();
  });

  it('picks the most urgent of several things said', () => {
    expect(triageAll(['breathing', 'I have a fever', 'and chest pain'])?.tier).toBe('emergency');
    expect(triageAll(['breathing', 'I want to die'])?.tier).toBe('crisis');
    expect(triageAll(['breathing', 'ten'])).toBeNull();
  });

  it('says get help, and how, and nothing more', () => {
    for (const locale of ['en-US', 'en-GB', 'en-CA', 'en-AU', 'en-IN', 'fr-FR']) {
      expect(safetyReply('emergency', locale)).toMatch(/call emergency services now/i);
      expect(safetyReply('doctor-soon', locale)).toMatch(/see a doctor soon/i);
      expect(safetyReply('crisis', locale)).toMatch(/glad you told me/i);
      for (const tier of ['emergency', 'crisis', 'doctor-soon'] as const) {
        expect(safetyReply(tier, locale)).not.toMatch(/take|medicine|tablet|ibuprofen|paracetamol|stretch|breathe/i);
      }
    }
    // An unknown locale is answered with the US numbers rather than nothing.
    expect(safetyReply('emergency', 'fr-FR')).toBe(safetyReply('emergency', 'en-US'));
  });
});
