/**
 * What someone says that needs help now, before anything else: an emergency, a crisis, or a sign to
 * see a doctor soon. Read first on every question and every slot value, whatever the intent, so a
 * person who says "my back hurts and I can't control my bladder" while asking for a session is told
 * to call for help, and the session does not start.
 *
 * It errs safe: a phrase that might be an emergency is treated as one. The answers never advise
 * beyond "get help", and each is checked against the health service's own page cited beside it.
 *
 * Pure: text in, tier out.
 */

export type Tier = 'emergency' | 'crisis' | 'doctor-soon';

export type SafetyLocale = 'en-US' | 'en-GB' | 'en-CA' | 'en-AU' | 'en-IN';

/**
 * Lower case, apostrophes out ("can't" → "cant"), anything else that is not a letter or digit a space,
 * and one spelling for each negation ("cannot" → "cant", "do not" → "dont").
 */
export function normalise(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `
    .replace(/ cannot /g, ' cant ')
    .replace(/ (do|is|will) not /g, ' $1nt ')
    .replace(/ willnt /g, ' wont ');
}

/** "fall asleep" is what the skill is for, not a fall: taken out before the accident signs are read. */
function withoutSleepFalls(text: string): string {
  return text.replace(/ (fall|falls|falling|fell|fallen) (back )?(asleep|to sleep|back to sleep|into a deep sleep) /g, ' ');
}

const NUMB = '(numb\\w*|no feeling|los\\w* (the |of )?feeling|cant feel|tingl\\w*|pins and needles|dead)';
const SADDLE = '(genital\\w*|groin|private parts|privates|crotch|between my legs|buttock\\w*|bum|bottom|butt|backside|anus|saddle|inner thighs?|perineum|vagina|penis|scrotum)';
const LEGS = '(both (of )?(my )?legs|(my )?legs|both feet|my feet)';
// Tingling alone is left out for the legs: relaxation itself often brings it.
const LEG_SIGNS = '(numb\\w*|weak\\w*|giving way|give way|gave way|wont (work|hold me)|dead|heavy and numb|paralys\\w*|no feeling)';

interface Sign {
  tier: Tier;
  /** What it is, for tests and logs (never the words said). */
  name: string;
  pattern: RegExp;
  /** And this too, somewhere in what was said (a fall is a sign only with pain or an injury). */
  also?: RegExp;
}

/** Words that make a fall or a long spell a matter of the back or of pain. */
const HURT = / (back|spine|spinal|neck|hip|pain|painful|hurt\w*|sore|ache\w*|aching|injur\w*|sciatica|bruis\w*)( |$)/;

/**
 * The signs, in the order they are tried: emergencies first, so "numb between my legs after a fall"
 * is an emergency, never only a doctor-soon.
 */
const SIGNS: readonly Sign[] = [
  // Cauda equina: NHS, "Cauda equina syndrome" (https://www.nhs.uk/conditions/cauda-equina-syndrome/):
  // numbness around the genitals or bottom, and bladder or bowel changes, need A&E or 999 at once.
  { tier: 'emergency', name: 'saddle-numbness', pattern: new RegExp(`${NUMB}( \\w+){0,6} ${SADDLE}|${SADDLE}( \\w+){0,4} ${NUMB}`) },
  {
    tier: 'emergency',
    name: 'bladder-bowel',
    pattern: new RegExp(
      [
        ' (cant|unable to|struggling to|struggle to|trouble|difficulty|hard to|problems?|having trouble)( \\w+){0,2} (control( my)?|hold( in)?|start)? ?(bladder|bowels?|pee\\w*|wee\\w*|urin\\w*|pass(ing)? water|poo\\w*|stool)',
        ' (lost|losing|loss of|no|cant)( \\w+){0,2} control( of| over)?( my)? (bladder|bowels?|pee|wee|urine|poo)',
        ' (bladder|bowels?)( \\w+){0,4} (control|accident|leak\\w*|wont|cant|stopped|problem|problems|trouble|changed|not working|numb\\w*)',
        ' (wet|wetting|soiled|soiling|peed|pooed) (myself|my pants|my trousers)',
        ' incontinen\\w*',
        ' (cant|unable to) (pee|wee|urinate|go to the toilet|go to the bathroom|empty my bladder)',
      ].join('|'),
    ),
  },
  // NHS, "Cauda equina syndrome": pain, numbness or weakness in both legs; NHS, "Back pain"
  // (https://www.nhs.uk/conditions/back-pain/): numbness or weakness in both legs, call 999.
  {
    tier: 'emergency',
    name: 'both-legs',
    pattern: new RegExp(`${LEGS}( \\w+){0,3} ${LEG_SIGNS}|(numb\\w*|weak\\w*|no feeling|cant feel)( \\w+){0,2} ${LEGS}|(cant|unable to) (move|stand on|walk on|lift) ${LEGS}`),
  },
  // NHS, "Back pain": back pain that started after a serious accident, such as a fall or a car
  // accident, needs A&E or 999.
  {
    tier: 'emergency',
    name: 'after-fall',
    pattern: / (fell|fall|falling|fallen|slipped|tripped|accident|crash|crashed|collision|car wreck|hit by|thrown (off|from)|came off|knocked (off|over|down)|landed (on|hard))( |$)/,
    also: HURT,
  },
  // NHS, "Chest pain" (https://www.nhs.uk/conditions/chest-pain/): call 999 for sudden chest pain;
  // NHS, "Back pain": back pain with chest pain, call 999.
  {
    tier: 'emergency',
    name: 'chest-pain',
    pattern: / chest (\w+ ){0,2}(pain|pains|hurts?|hurting|aches?|aching|tight\w*|pressure|crushing|squeez\w*|heavy)|(pain|pains|hurts?|hurting|aches?|aching|tight\w*|pressure|crushing|squeez\w*|heaviness)( \w+){0,2} (in|across|on) (my |the )?chest|heart attack/,
  },
  // 988 Suicide & Crisis Lifeline (https://988lifeline.org/), Samaritans (https://www.samaritans.org/),
  // Lifeline Australia (https://www.lifeline.org.au/), Tele-MANAS (https://telemanas.mohfw.gov.in/):
  // thoughts of ending one's life, said in any words, are met with the crisis line.
  {
    tier: 'crisis',
    name: 'crisis',
    pattern: new RegExp(
      [
        ' (want|wanna|going|ready|wish|plan|planning|thinking about|thinking of|thought about|thought of|think about|think of|tempted|decided) (to )?(die|dying|be dead|end(ing)? (it|it all|my life|everything|things)|kill(ing)? myself|tak(e|ing) my (own )?life|not (be here|exist|wake up))',
        ' (dont|no longer|never) (want|wish) to (live|be alive|be here|exist|wake up|go on|carry on)',
        ' (wish|want|hope|rather)( \\w+){0,8} (never|not) (to )?wake up',
        ' (done|finished) with (life|living|it all|everything|being alive)',
        ' (tired|sick) of (living|life|being alive|being here)',
        ' want (it all|everything|it) to (stop|end|be over) for good',
        ' disappear (forever|for good)',
        ' (kill|killing|hurt|hurting|harm|harming|cut|cutting) myself',
        ' suicid\\w*',
        ' self harm\\w*',
        ' (better off|rather be) dead',
        ' better off (without me|if i (was|were) (dead|gone|not here))',
        ' (wish|if) i (was|were) (dead|gone|never born)',
        ' (the |any )?point (in|of) (living|life|going on|being alive|carrying on|being here)',
        ' (end|ending|ended|take|taking|took) (it all|my (own )?life)',
        ' (no|nothing to|no point) (reason to )?(live|living|go on|going on|in living|carry on)',
        ' (cant|can no longer) (go on|carry on)( like this| anymore| living)? $',
        ' (cant|can no longer) (do this|take (it|this)) anymore',
        ' not worth living',
        ' life isnt worth',
        ' hopeless',
      ].join('|'),
    ),
  },
  // NHS, "Back pain": see a GP if it is worse at night, comes with a high temperature or weight loss
  // you cannot explain, or you have had cancer; Cancer Research UK and the NHS list the same.
  { tier: 'doctor-soon', name: 'fever', pattern: / (fever\w*|high temp\w*|a temperature|chills|shivering|night sweats|sweating at night)( |$)/ },
  {
    tier: 'doctor-soon',
    name: 'weight-loss',
    pattern: / (weight loss|losing weight|lost weight|lost (a lot of|so much) weight|getting thinner|weight (is )?dropping)( |$)/,
  },
  {
    tier: 'doctor-soon',
    name: 'night-or-rest-pain',
    pattern:
      / (pain|hurts?|aches?|aching|sore)( \w+){0,3} (worse|bad|worst|bothers me|keeps me up) (at|in the|during the|every) (night|rest)| (worse|bad|hurts|aches|pain) (when|while|if) (i am |im |i )?(resting|rest|lying (down|still)|lie (down|still)|keep still)| at rest| wakes me( up)? (with|in) pain| pain (wakes|woke) me/,
  },
  { tier: 'doctor-soon', name: 'cancer', pattern: / (cancer|tumou?r|chemo\w*|radiotherapy|oncolog\w*)( |$)/ },
  // NHS, "Back pain": see a GP if it does not improve within a few weeks, or a single leg is numb or
  // weak (sciatica, https://www.nhs.uk/conditions/sciatica/).
  {
    tier: 'doctor-soon',
    name: 'lasting',
    pattern:
      / (for|over|in) (weeks|months|a few weeks|several weeks|a month|ages|a long time)( |$)| (lasted|lasting|had it) (for )?(weeks|months|a few weeks|a month)| (not|isnt|never|doesnt|does not|wont) (getting better|improving|improve|get better|going away|go away)/,
    also: HURT,
  },
  { tier: 'doctor-soon', name: 'one-leg', pattern: / (my|one|left|right|a) (leg|foot) (is |feels |has gone |went |keeps going )?(numb\w*|weak\w*)/ },
];

/** The tier of the first sign the words carry, or null. Emergencies win over everything else. */
export function triage(text: string): { tier: Tier; sign: string } | null {
  const said = withoutSleepFalls(normalise(text));
  for (const sign of SIGNS) {
    if (sign.pattern.test(said) && (sign.also === undefined || sign.also.test(said))) return { tier: sign.tier, sign: sign.name };
  }
  return null;
}

/** The highest tier among several things said (slot values of one request). */
export function triageAll(texts: readonly string[]): { tier: Tier; sign: string } | null {
  const rank: Record<Tier, number> = { emergency: 0, crisis: 1, 'doctor-soon': 2 };
  let best: { tier: Tier; sign: string } | null = null;
  for (const text of texts) {
    const found = triage(text);
    if (found && (best === null || rank[found.tier] < rank[best.tier])) best = found;
  }
  return best;
}

interface LocaleHelp {
  /** The emergency number, as it is said. */
  emergency: string;
  /** The crisis line, as it is said, and how to reach it. */
  crisis: string;
}

/**
 * Numbers, written as they are spoken, so Alexa never reads 999 as "nine hundred and ninety nine".
 *  - 911: US (https://www.911.gov/) and Canada (https://www.canada.ca/en/services/health/emergencies.html).
 *  - 999: NHS, "When to call 999" (https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/).
 *  - 000: Healthdirect, "Triple zero" (https://www.healthdirect.gov.au/when-to-call-triple-zero-000).
 *  - 112: India's Emergency Response Support System (https://112.gov.in/).
 *  - 988: call or text, US (https://988lifeline.org/) and Canada (https://988.ca/).
 *  - Samaritans: 116 123, free, day or night (https://www.samaritans.org/how-we-can-help/contact-samaritan/).
 *  - Lifeline Australia: 13 11 14, any time (https://www.lifeline.org.au/).
 *  - Tele-MANAS: 14416, free, any time (https://telemanas.mohfw.gov.in/).
 */
const HELP_BY_LOCALE: Record<SafetyLocale, LocaleHelp> = {
  'en-US': { emergency: 'nine one one', crisis: 'call or text nine eight eight, the Suicide and Crisis Lifeline, any time' },
  'en-CA': { emergency: 'nine one one', crisis: 'call or text nine eight eight, the Suicide Crisis Helpline, any time' },
  'en-GB': { emergency: 'nine nine nine', crisis: 'call Samaritans, free, on one one six, one two three, any time, day or night' },
  'en-AU': { emergency: 'triple zero', crisis: 'call Lifeline on thirteen, eleven, fourteen, any time, day or night' },
  'en-IN': { emergency: 'one one two', crisis: 'call Tele MANAS, free, on one four four one six, any time, day or night' },
};

function helpFor(locale: string): LocaleHelp {
  return HELP_BY_LOCALE[locale as SafetyLocale] ?? HELP_BY_LOCALE['en-US'];
}

/** What is said for each tier, in the listener's locale. Nothing more than: get help, and how. */
export function safetyReply(tier: Tier, locale: string): string {
  const help = helpFor(locale);
  switch (tier) {
    case 'emergency':
      return `That needs help now, not a relaxation session. Please call emergency services now, on ${help.emergency}, or ask someone to call for you. Don't wait to see if it passes.`;
    case 'crisis':
      return `I'm really glad you told me, and I'm sorry it feels this hard right now. You don't have to carry this alone: please ${help.crisis}, and talk to someone who wants to help. If you might act on these thoughts, call ${help.emergency} now.`;
    case 'doctor-soon':
      return `Please see a doctor soon about that, in the next day or two, and tell them about your back. If it suddenly gets worse, or you notice numbness between your legs or trouble with your bladder, call ${help.emergency} at once.`;
  }
}
