/**
 * Night and safety questions in words of our own. None of them is one of the FAQ's own phrasings: the
 * FAQ reaches them through its concepts and question types, so each stands for a kind of question.
 * `kind` is what must answer; `expect` patterns the answer must match.
 */
export interface HeldOut {
  q: string;
  kind: 'emergency' | 'crisis' | 'doctor-soon' | 'faq' | 'miss';
  /** Regular expressions (case-insensitive) the answer must match, when it is a FAQ answer. */
  expect?: string[];
}

export const HELD_OUT: readonly HeldOut[] = [
  // Emergencies: never missed.
  { q: 'my back is killing me and I cannot feel my bum', kind: 'emergency' },
  { q: 'I suddenly wet myself and my lower back hurts', kind: 'emergency' },
  { q: 'I am struggling to pee since my back went', kind: 'emergency' },
  { q: 'both my legs have gone weak', kind: 'emergency' },
  { q: 'I slipped and fell on the ice and now my spine hurts', kind: 'emergency' },
  { q: 'my chest feels really tight and painful', kind: 'emergency' },
  { q: 'there is numbness around my groin', kind: 'emergency' },
  { q: 'I was in a car accident yesterday and my back is sore', kind: 'emergency' },
  { q: 'I have lost control of my bowels', kind: 'emergency' },
  { q: 'pain in my chest when I lie down', kind: 'emergency' },
  // Crisis: never missed.
  { q: 'I just want to die', kind: 'crisis' },
  { q: "I don't see the point in living anymore", kind: 'crisis' },
  { q: "I've been thinking about ending my life", kind: 'crisis' },
  { q: 'sometimes I think everyone would be better off if I was dead', kind: 'crisis' },
  { q: 'I want to hurt myself', kind: 'crisis' },
  // See a doctor soon.
  { q: 'my back aches and I have a fever', kind: 'doctor-soon' },
  { q: 'the pain is always worse when I am resting', kind: 'doctor-soon' },
  { q: "I've lost weight without trying and my back hurts", kind: 'doctor-soon' },
  { q: 'I had breast cancer a few years ago and now my back hurts', kind: 'doctor-soon' },
  // Oils where the diffuser runs.
  { q: 'is it ok to run the diffuser if my kitten sleeps in my bedroom', kind: 'faq', expect: ['room|sleep', 'vet', 'stop using the diffuser'] },
  { q: 'can diffusing oils hurt my budgie', kind: 'faq', expect: ['bird', 'stop using the diffuser'] },
  { q: 'is it safe to diffuse while I have a bun in the oven', kind: 'faq', expect: ['pregnan|midwife'] },
  { q: 'we are expecting, can I still use lavender', kind: 'faq', expect: ['pregnan|midwife'] },
  { q: 'my newborn sleeps in a crib next to our bed, can the diffuser be on', kind: 'faq', expect: ['baby|child', "don't diffuse"] },
  { q: 'is eucalyptus ok for my three year old', kind: 'faq', expect: ['young child'] },
  { q: 'could essential oils bring on a seizure', kind: 'faq', expect: ['epilep', 'doctor'] },
  { q: "I'm allergic to almonds, what oil should I mix with", kind: 'faq', expect: ['nut', 'sunflower|olive'] },
  { q: 'is it ok to put a drop of peppermint oil in my water', kind: 'faq', expect: ['never swallow'] },
  { q: 'can I take lavender oil orally', kind: 'faq', expect: ['never swallow'] },
  { q: 'do I have to mix oils with something before rubbing them on', kind: 'faq', expect: ['dilute|carrier'] },
  { q: 'the scent makes me wheeze', kind: 'faq', expect: ['asthma|breathing', 'turn off the diffuser|turn the diffuser off'] },
  // The practices by their everyday names, and the night.
  { q: 'what do people mean by paced breathing', kind: 'faq', expect: ['slow', 'breath'] },
  { q: 'what is box breathing', kind: 'faq', expect: ['breath'] },
  { q: 'how does the tense and relax thing work', kind: 'faq', expect: ['tens', 'relax|let it go|let go'] },
  { q: 'what is scanning your body about', kind: 'faq', expect: ['attention|notice'] },
  { q: "it's four am and I can't drop off again", kind: 'faq', expect: ['back to sleep|breath'] },
  { q: 'what should I do if I keep waking up at night', kind: 'faq', expect: ['back to sleep|breath|dark'] },
  { q: 'why should the exhale be long', kind: 'faq', expect: ['out breath|exhale', 'heart|settle|slow'] },
  { q: 'how do I switch off the diffuser that comes on at bedtime', kind: 'faq', expect: ['off'] },
  { q: 'is tensing my muscles safe if I had a hip operation', kind: 'faq', expect: ['surgery|doctor'] },
  // A second set, in other words again.
  { q: 'my lower back hurts and I have pins and needles in my private parts', kind: 'emergency' },
  { q: 'since this morning I cannot empty my bladder properly', kind: 'emergency' },
  { q: 'I got knocked off my bike and my back is really painful', kind: 'emergency' },
  { q: 'my legs keep giving way and my back aches', kind: 'emergency' },
  { q: 'I have a heavy pressure across my chest', kind: 'emergency' },
  { q: 'I keep thinking about taking my own life', kind: 'crisis' },
  { q: 'I wish I could go to sleep and never wake up', kind: 'crisis' },
  { q: 'I am done with life', kind: 'crisis' },
  { q: 'my back pain wakes me up every night', kind: 'doctor-soon' },
  { q: 'I have been having night sweats and back pain', kind: 'doctor-soon' },
  { q: 'can I diffuse lavender with my rabbit in the bedroom', kind: 'faq', expect: ['pet|rabbit', 'vet'] },
  { q: 'is it bad to run a diffuser in the nursery', kind: 'faq', expect: ['baby|child'] },
  { q: 'I am eight weeks pregnant is lavender ok', kind: 'faq', expect: ['pregnan|midwife'] },
  { q: 'is peppermint oil alright around little kids', kind: 'faq', expect: ['young child'] },
  { q: 'my son has epilepsy can we use the diffuser', kind: 'faq', expect: ['epilep'] },
  { q: 'what should I use instead of almond oil', kind: 'faq', expect: ['nut|sunflower|olive'] },
  { q: 'can I put a few drops of oil in my drink', kind: 'faq', expect: ['never swallow'] },
  { q: 'do essential oils need diluting', kind: 'faq', expect: ['dilute|carrier'] },
  { q: 'what is the four seven eight breathing method', kind: 'faq', expect: ['breath'] },
  { q: 'how do I do the squeeze and release thing', kind: 'faq', expect: ['tens'] },
  { q: 'what is a body scan meditation for', kind: 'faq', expect: ['attention|notic'] },
  { q: 'I woke at three and my mind is racing', kind: 'faq', expect: ['breath|back to sleep|normal|gently|attention'] },
  { q: 'what helps when you wake up too early', kind: 'faq', expect: ['back to sleep|breath|dark'] },
  { q: 'does a longer exhale really relax you', kind: 'faq', expect: ['out breath|exhale', 'heart|settle|slow'] },
  { q: 'does the diffuser switch itself off', kind: 'faq', expect: ['off'] },
  { q: 'can I stretch with osteoporosis', kind: 'faq', expect: ['osteoporosis', 'doctor'] },
  { q: 'what if stretching makes my leg tingle', kind: 'faq', expect: ['stop|tingl'] },
  { q: 'the diffuser is making my cat drool', kind: 'faq', expect: ['vet'] },
  { q: 'who won the football last night', kind: 'miss' },
  { q: 'set an alarm for seven', kind: 'miss' },
  // Not ours: declined.
  { q: 'what is the capital of Peru', kind: 'miss' },
  { q: 'play some jazz', kind: 'miss' },
];
