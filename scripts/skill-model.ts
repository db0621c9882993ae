/**
 * The one source of Wind Down's voice interface. `scripts/gen-skill-package.mjs` writes
 * `skill.json` and `interactionModels/custom/<locale>.json` from it; the JSON is committed, and a test
 * fails when it drifts from this file. Intent and slot names are a contract with the handlers in
 * `lambda/` and with the tests: change them only together.
 */

export const LOCALES = ['en-US', 'en-GB', 'en-CA', 'en-AU', 'en-IN'] as const;
export type Locale = (typeof LOCALES)[number];

export const INVOCATION_NAME = 'wind down';
export const TECHNIQUE_SLOT_TYPE = 'WindDownTechnique';

/** Slot values: `id` is the engine's Technique, so entity resolution hands the handler a Technique. */
export const TECHNIQUE_VALUES = [
  {
    id: 'breathing',
    value: 'breathing',
    synonyms: ['paced breathing', 'breathing exercise', 'breathing exercises', 'slow breathing', 'deep breathing', 'breath work', 'breathwork', 'breaths', 'calm breathing', 'belly breathing'],
  },
  {
    id: 'pmr',
    value: 'progressive muscle relaxation',
    synonyms: ['muscle relaxation', 'PMR', 'p. m. r.', 'progressive relaxation', 'tense and release', 'muscle tensing', 'muscle relaxing', 'relaxation'],
  },
  {
    id: 'back-pmr',
    value: 'back-friendly relaxation',
    synonyms: ['back friendly relaxation', 'back relaxation', 'back pain relaxation', 'relaxation for back pain', 'relaxation for my back', 'back friendly muscle relaxation', 'gentle muscle relaxation', 'back care relaxation'],
  },
  {
    id: 'body-scan',
    value: 'body scan',
    synonyms: ['body scan meditation', 'body scanning', 'scan of my body', 'full body scan'],
  },
  {
    id: 'meditation',
    value: 'guided meditation',
    synonyms: ['meditation', 'mindfulness', 'mindfulness meditation', 'breath awareness', 'sleep meditation', 'meditate'],
  },
  {
    id: 'imagery',
    value: 'guided imagery',
    synonyms: ['imagery', 'guided visualization', 'visualization', 'visualisation', 'guided imagery meditation', 'sunset meditation', 'a sunset', 'sunset', 'field of flowers', 'a field of flowers'],
  },
  {
    id: 'back-stretch',
    value: 'gentle back stretches',
    synonyms: [
      'back stretches', 'back stretch', 'gentle back stretch', 'gentle stretch for my back', 'gentle stretches for my back',
      'stretch for my back', 'stretches for my back', 'gentle stretch', 'gentle stretches', 'gentle stretching', 'stretching',
      'stretches in bed', 'bed stretches', 'gentle yoga', 'stretches for back pain',
    ],
  },
  {
    id: 'autogenic',
    value: 'autogenic training',
    synonyms: ['autogenic', 'autogenics', 'autogenic relaxation', 'autogenic exercises', 'heaviness and warmth', 'heavy and warm'],
  },
  {
    id: 'back-to-sleep',
    value: 'back to sleep',
    synonyms: ['get back to sleep', 'go back to sleep', 'going back to sleep', 'back to sleep session', 'middle of the night', 'night waking', 'sleep again'],
  },
] as const;

interface Slot {
  name: string;
  type: string;
  /** Utterances for answering an elicitation (used with the dialog model). */
  samples?: string[];
}

interface Intent {
  name: string;
  slots?: Slot[];
  samples: string[];
}

/** `{technique}` forms, crossed with lengths, so every one-shot people use ("start breathing for five minutes") resolves. */
function sessionSamples(): string[] {
  const verbs = ['start', 'begin', 'play', 'do', 'let\'s do', 'I want to do', 'guide me through', 'give me'];
  const out: string[] = [];
  for (const verb of verbs) {
    for (const article of ['', 'a ', 'the ', 'some ']) {
      out.push(`${verb} ${article}{technique}`);
    }
    out.push(`${verb} {technique} for {minutes} minutes`, `${verb} a {minutes} minute {technique}`);
  }
  out.push(
    'start a {technique} for {minutes} minutes',
    'start a session',
    'start a wind down',
    'start a wind down session',
    'start a session for {minutes} minutes',
    'start a {minutes} minute session',
    'help me relax',
    'help me fall asleep',
    'help me sleep',
    'I can\'t sleep',
    // Woken in the night, said plainly: between midnight and five these start back to sleep.
    'I woke up',
    'I woke up in the night',
    'I woke up and can\'t sleep',
    'I keep waking up',
    'I\'m awake',
    'I\'m wide awake',
    'I can\'t get to sleep',
    // Woken in the night: "help me get back to sleep" names the back-to-sleep session by its value.
    'help me get {technique}',
    'help me go {technique}',
    'I can\'t get {technique}',
    'I want to get {technique}',
    'I woke up and can\'t get {technique}',
    '{technique} for {minutes} minutes',
    '{technique} please',
    '{minutes} minutes of {technique}',
  );
  return out;
}

/**
 * AMAZON.SearchQuery takes the whole rest of the phrase, so every sample needs a carrier phrase in
 * front of it and no other slot. A carrier takes only words the FAQ matcher would drop anyway
 * (question words and filler): "how long does PMR take" must reach it as "long does PMR take", not
 * "does PMR take", so "how" is a carrier and "how long" is not. Single question words ("what", "how",
 * "when") catch the word orders people use, like "what progressive muscle relaxation is".
 */
const QUESTION_CARRIERS = [
  'what', 'what is', 'what are', 'what\'s', 'what does', 'what should I', 'what if',
  'how', 'how does', 'how do', 'how do I', 'how can I',
  'can', 'can I', 'do I', 'does', 'is', 'is it', 'are', 'should I', 'will', 'why', 'why do', 'when', 'when should I', 'which',
  'I have a question about', 'a question about', 'tell me about', 'explain', 'I want to know',
];

/**
 * Question carriers beyond the plain question words, for the ways people open a question at night
 * ("is it ok to", "what do people mean by"). The same rule holds: only words the matcher drops.
 */
const MORE_QUESTION_CARRIERS = [
  'is it ok to', 'is it okay to', 'is it ok if I', 'what do people mean by', 'what does it mean to', 'what do I do if', 'what should I do if',
  'can I use', 'do you know', 'could', 'could I', 'would', 'would it', 'might', 'I was wondering', 'I have a question', 'please tell me', 'tell me', 'how much', 'how many',
];

/**
 * First-person statements, in any words after the carrier: "I have a fever", "my baby sleeps in our
 * room", "I feel hopeless". What follows is read for an emergency or a crisis first, then answered
 * like a question. Carriers are made of words the FAQ matcher drops, so nothing of what was said is
 * lost, except the few that name the subject ("the scent makes me wheeze"): the rest still says it.
 */
const STATEMENT_CARRIERS = [
  'I', 'I feel', 'I have', 'I\'ve', 'I\'ve got', 'I am', 'I\'m', 'my', 'I can\'t', 'I cannot', 'I just', 'I think', 'I keep', 'I\'ve been',
  'I was', 'we', 'we are', 'we have', 'there is', 'there\'s', 'it', 'it\'s', 'sometimes I', 'honestly I', 'please help I',
  'both', 'both my', 'there are', 'everyone', 'nobody', 'life', 'since', 'after', 'we\'re', 'our', 'lately I', 'recently I',
  'last night I', 'tonight I', 'today I', 'yesterday I', 'sometimes', 'honestly',
  // A bare "the" would take every stray sentence; these name what a night-time worry is about.
  'the pain', 'the scent', 'the smell', 'the diffuser', 'the oil',
];

/**
 * What needs help now, as people say it. Each sample is also read by src/safety/triage.ts, and a test
 * holds the two to the same verdict. Sources are cited beside the signs in triage.ts.
 */
const EMERGENCY_SIGNS = [
  'I can\'t control my bladder', 'I can\'t control my bowels', 'I\'ve lost control of my bladder', 'I\'ve lost control of my bowels',
  'I suddenly can\'t control my bladder', 'I wet myself', 'I can\'t pee', 'I can\'t urinate', 'I have trouble peeing', 'I\'m having trouble passing urine',
  'I can\'t feel my bum', 'my bottom is numb', 'I\'m numb between my legs', 'I\'ve lost feeling between my legs', 'I have numbness around my genitals',
  'my groin is numb', 'both my legs are numb', 'both my legs are weak', 'my legs are giving way', 'I can\'t feel my legs', 'I can\'t move my legs',
  'I fell and hurt my back', 'I hurt my back in a fall', 'I hurt my back in a car accident', 'I was in an accident and my back hurts',
  'I fell down the stairs and my back hurts', 'I have chest pain', 'my chest hurts', 'I have a pain in my chest', 'my chest feels tight',
  'I think I\'m having a heart attack', 'pain in my chest', 'chest pain', 'tightness in my chest', 'pressure in my chest',
  'numbness between my legs', 'numbness in both legs', 'weakness in both legs', 'loss of bladder control', 'loss of bowel control',
  'my legs have gone weak', 'my legs have gone numb', 'I had a bad fall and my back hurts',
];
const EMERGENCY_LEADS = ['', 'my back hurts and ', 'my back is killing me and ', 'I have back pain and ', 'help ', 'help me '];

const CRISIS_SIGNS = [
  'I don\'t want to live anymore', 'I don\'t want to live', 'I want to die', 'I just want to die', 'I want to kill myself',
  'I\'m going to kill myself', 'I\'m thinking about killing myself', 'I want to end my life', 'I want to end it all',
  'I feel hopeless and want to end it', 'I\'m thinking about suicide', 'I feel suicidal', 'I\'m suicidal', 'I don\'t want to be here anymore',
  'I wish I was dead', 'I wish I were dead', 'everyone would be better off without me', 'there\'s no point in living', 'I can\'t go on',
  'I want to hurt myself', 'I\'ve been hurting myself', 'I don\'t want to wake up', 'life isn\'t worth living', 'I have nothing to live for',
  'I feel hopeless', 'I\'ve been thinking about ending my life', 'I\'m thinking of ending it', 'no point in living',
];
const CRISIS_LEADS = ['', 'I feel like ', 'sometimes ', 'honestly ', 'I think ', 'help '];

function crossed(leads: readonly string[], signs: readonly string[]): string[] {
  return [...new Set(leads.flatMap((lead) => signs.map((sign) => `${lead}${sign}`)))];
}

const BEDTIME_TIME_SAMPLES = ['{time}', 'at {time}', 'I go to bed at {time}', 'about {time}', 'around {time}', 'make it {time}'];
const REMINDER_TIME_SAMPLES = ['{time}', 'at {time}', 'every night at {time}', 'every day at {time}', 'remind me at {time}', 'make it {time}'];

/** The permission the daily reminder needs; the listener grants it in the Alexa app. */
export const REMINDERS_PERMISSION = 'alexa::alerts:reminders:skill:readwrite';

export const INTENTS: readonly Intent[] = [
  {
    name: 'StartSessionIntent',
    slots: [
      { name: 'technique', type: TECHNIQUE_SLOT_TYPE },
      { name: 'minutes', type: 'AMAZON.NUMBER' },
    ],
    samples: sessionSamples(),
  },
  {
    name: 'AskQuestionIntent',
    slots: [{ name: 'question', type: 'AMAZON.SearchQuery' }],
    samples: [...QUESTION_CARRIERS, ...MORE_QUESTION_CARRIERS].map((carrier) => `${carrier} {question}`),
  },
  {
    name: 'StatementIntent',
    slots: [{ name: 'statement', type: 'AMAZON.SearchQuery' }],
    samples: STATEMENT_CARRIERS.map((carrier) => `${carrier} {statement}`),
  },
  // Answered before any other handler: the locale's emergency number, or its crisis line. `detail`
  // takes whatever follows the sign ("pain in my chest when I lie down"); the sign alone decides.
  {
    name: 'EmergencyIntent',
    slots: [{ name: 'detail', type: 'AMAZON.SearchQuery' }],
    samples: [...crossed(EMERGENCY_LEADS, EMERGENCY_SIGNS), ...EMERGENCY_SIGNS.map((sign) => `${sign} {detail}`)],
  },
  {
    name: 'CrisisIntent',
    slots: [{ name: 'detail', type: 'AMAZON.SearchQuery' }],
    samples: [...crossed(CRISIS_LEADS, CRISIS_SIGNS), ...CRISIS_SIGNS.map((sign) => `${sign} {detail}`)],
  },
  {
    name: 'SetBedtimeIntent',
    slots: [{ name: 'time', type: 'AMAZON.TIME', samples: BEDTIME_TIME_SAMPLES }],
    samples: [
      'set my bedtime to {time}',
      'set my bedtime for {time}',
      'set bedtime to {time}',
      'set the bedtime to {time}',
      'change my bedtime to {time}',
      'my bedtime is {time}',
      'make my bedtime {time}',
      'I want to go to bed at {time}',
      'I go to bed at {time}',
      'remind me to go to bed at {time}',
      'set my bedtime',
      'set a bedtime',
      'change my bedtime',
    ],
  },
  {
    // A daily reminder to wind down. Without a time it is "at my bedtime" (the saved one).
    name: 'SetReminderIntent',
    slots: [{ name: 'time', type: 'AMAZON.TIME', samples: REMINDER_TIME_SAMPLES }],
    samples: [
      'remind me to wind down at {time}',
      'remind me to wind down every night at {time}',
      'remind me to wind down at {time} every night',
      'remind me to start winding down at {time}',
      'remind me every night at {time}',
      'remind me every evening at {time}',
      'remind me every day at {time}',
      'remind me at {time} every night',
      'set a reminder for {time}',
      'set a wind down reminder for {time}',
      'set a daily reminder for {time}',
      'move my reminder to {time}',
      'change my reminder to {time}',
      'remind me at my bedtime',
      'remind me at bedtime',
      'remind me every night at my bedtime',
      'remind me when it is my bedtime',
      'remind me to wind down',
      'remind me to wind down every night',
      'remind me every night',
      'set a reminder',
      'set a bedtime reminder',
      'set a wind down reminder',
    ],
  },
  {
    name: 'StopReminderIntent',
    samples: [
      'stop reminding me',
      'stop reminding me to wind down',
      'stop the reminder',
      'stop my reminder',
      'cancel my reminder',
      'cancel the reminder',
      'cancel my wind down reminder',
      'delete my reminder',
      'delete the reminder',
      'delete my wind down reminder',
      'remove my reminder',
      'turn off my reminder',
      'turn off the reminder',
      'no more reminders',
      'don\'t remind me any more',
      'don\'t remind me anymore',
    ],
  },
  {
    name: 'GetBedtimeIntent',
    samples: ['when is my bedtime', 'what is my bedtime', 'what time is my bedtime', 'when do I go to bed', 'what time do I go to bed', 'what did I set my bedtime to', 'my bedtime'],
  },
  {
    name: 'DiffuserOnIntent',
    samples: ['turn on the diffuser', 'turn the diffuser on', 'switch on the diffuser', 'switch the diffuser on', 'start the diffuser', 'diffuser on', 'turn on the aroma diffuser', 'turn on the oil diffuser'],
  },
  {
    name: 'DiffuserOffIntent',
    samples: ['turn off the diffuser', 'turn the diffuser off', 'switch off the diffuser', 'switch the diffuser off', 'stop the diffuser', 'diffuser off', 'turn off the aroma diffuser', 'turn off the oil diffuser'],
  },
  {
    // The full instructions again, on request (a returning listener otherwise hears a short lead).
    name: 'ExplainIntent',
    samples: [
      'how do I breathe', 'how should I breathe', 'explain', 'explain it', 'explain it again', 'explain how to breathe',
      'explain the breathing', 'give me the full instructions', 'the full instructions', 'talk me through it', 'walk me through it',
      'how does this work', 'teach me how to breathe', 'show me how to breathe', 'I forgot how it works',
    ],
  },
  {
    name: 'NoDiffuserIntent',
    samples: [
      'don\'t use the diffuser with my sessions', 'don\'t use the diffuser', 'do not use the diffuser', 'never use the diffuser',
      'stop using the diffuser', 'no diffuser with my sessions', 'no diffuser please', 'I don\'t want the diffuser',
      'I don\'t want the diffuser with my sessions', 'keep the diffuser off during my sessions', 'sessions without the diffuser',
      'don\'t turn on the diffuser with my sessions', 'don\'t use the oils', 'no essential oils',
    ],
  },
  {
    name: 'UseDiffuserIntent',
    samples: [
      'use the diffuser with my sessions', 'use the diffuser', 'use the diffuser again', 'start using the diffuser again',
      'I want the diffuser with my sessions', 'turn on the diffuser with my sessions', 'use the oils again', 'sessions with the diffuser',
    ],
  },
  {
    // The code `winddown pair` prints; AMAZON.NUMBER turns "four eight two nine one five" into 482915.
    name: 'PairHomeIntent',
    slots: [{ name: 'code', type: 'AMAZON.NUMBER' }],
    samples: ['pair with code {code}', 'my pairing code is {code}', 'connect my home with code {code}', 'pair my home with code {code}', 'the pairing code is {code}'],
  },
  {
    name: 'ForgetHomeIntent',
    samples: ['forget my home', 'disconnect my home', 'unpair my home', 'disconnect my lights'],
  },
  // Built-ins. "continue" is a built-in sample of AMAZON.ResumeIntent, so continuing a session that spans
  // several responses goes through Resume; these extend it with what people say at the end of a part.
  { name: 'AMAZON.ResumeIntent', samples: ['go on', 'carry on', 'next part', 'continue the session', 'keep going please'] },
  { name: 'AMAZON.PauseIntent', samples: [] },
  { name: 'AMAZON.StopIntent', samples: [] },
  { name: 'AMAZON.CancelIntent', samples: [] },
  { name: 'AMAZON.HelpIntent', samples: [] },
  { name: 'AMAZON.FallbackIntent', samples: [] },
  { name: 'AMAZON.NavigateHomeIntent', samples: [] },
  { name: 'AMAZON.YesIntent', samples: [] },
  { name: 'AMAZON.NoIntent', samples: [] },
  { name: 'AMAZON.RepeatIntent', samples: [] },
  { name: 'AMAZON.StartOverIntent', samples: [] },
];

export const BEDTIME_PROMPT = 'What time would you like to go to bed?';
export const REMINDER_TIME_PROMPT = 'What time would you like your reminder?';

/** Intents whose `time` the skill asks for itself (Dialog.ElicitSlot), with the prompt it says. */
const ELICITED_TIMES = [
  { intent: 'SetBedtimeIntent', prompt: BEDTIME_PROMPT },
  { intent: 'SetReminderIntent', prompt: REMINDER_TIME_PROMPT },
];

export function interactionModel(_locale: Locale): unknown {
  return {
    interactionModel: {
      languageModel: {
        invocationName: INVOCATION_NAME,
        intents: INTENTS.map((intent) => ({
          name: intent.name,
          ...(intent.slots ? { slots: intent.slots.map((slot) => ({ name: slot.name, type: slot.type, ...(slot.samples ? { samples: slot.samples } : {}) })) } : {}),
          samples: intent.samples,
        })),
        types: [
          {
            name: TECHNIQUE_SLOT_TYPE,
            values: TECHNIQUE_VALUES.map((v) => ({ id: v.id, name: { value: v.value, synonyms: [...v.synonyms] } })),
          },
        ],
      },
      // A dialog model is what lets the bedtime handler use Dialog.ElicitSlot for `time`. The skill decides
      // when to ask (vague or missing values), so nothing is auto-delegated and no slot is required.
      dialog: {
        delegationStrategy: 'SKILL_RESPONSE',
        intents: ELICITED_TIMES.map(({ intent }) => ({
          name: intent,
          confirmationRequired: false,
          prompts: {},
          slots: [
            {
              name: 'time',
              type: 'AMAZON.TIME',
              elicitationRequired: true,
              confirmationRequired: false,
              prompts: { elicitation: `Elicit.Slot.${intent}.time` },
            },
          ],
        })),
      },
      prompts: ELICITED_TIMES.map(({ intent, prompt }) => ({
        id: `Elicit.Slot.${intent}.time`,
        variations: [{ type: 'PlainText', value: prompt }],
      })),
    },
  };
}

const DESCRIPTION = [
  'Wind Down guides you to sleep with calm, slow sessions you can follow with your eyes closed: paced breathing,',
  'progressive muscle relaxation (including a gentle version for people with back pain), gentle back stretches in bed,',
  'a body scan, a guided meditation, guided imagery, autogenic training, and a short, dark session for getting back to',
  'sleep in the middle of the night. If you have Philips Hue lights and the Wind Down home bridge, your bedroom lights breathe along with',
  'the voice and fade out at the end, and an aroma diffuser on a smart plug can turn on at your bedtime.',
  '\n\nSay "Alexa, start wind down" to begin paced breathing at once, or ask for a technique and a length:',
  '"Alexa, ask wind down to start progressive muscle relaxation", "Alexa, ask wind down to start breathing for five minutes".',
  'You can also ask short questions about the techniques, set your bedtime, and turn the diffuser on or off.',
  'If you allow reminders in the Alexa app, Wind Down can remind you every evening to wind down: "Alexa, ask wind down to remind me to wind down at ten p.m.".',
  '\n\nWind Down offers relaxation exercises for general wellbeing. It is not a substitute for medical advice,',
  'diagnosis or treatment; if you have trouble sleeping or ongoing pain, talk to a doctor.',
].join(' ').replace(/ \n/g, '\n');

export function skillManifest(): unknown {
  const locales = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      {
        name: 'Wind Down',
        summary: 'Calm bedtime breathing, muscle relaxation and meditation, with lights that breathe along.',
        description: DESCRIPTION,
        examplePhrases: ['Alexa, start wind down', 'Alexa, ask wind down to start a body scan', 'Alexa, ask wind down to start breathing for five minutes'],
        keywords: ['sleep', 'relaxation', 'breathing', 'meditation', 'bedtime', 'muscle relaxation', 'body scan', 'calm'],
      },
    ]),
  );
  return {
    manifest: {
      manifestVersion: '1.0',
      publishingInformation: {
        locales,
        isAvailableWorldwide: false,
        distributionCountries: ['US', 'GB', 'CA', 'AU', 'IN'],
        testingInstructions:
          'Say "Alexa, start wind down". The session speaks with pauses for breathing. Lights and diffuser need the Wind Down home bridge (see README, Deploy); without it the skill says once that the lights could not be reached and the voice session plays anyway. "Ask wind down to remind me to wind down at ten p.m." sets one daily reminder (it needs the Reminders permission; without it the skill sends a consent card); "ask wind down to stop reminding me" deletes it.',
        category: 'HEALTH_AND_FITNESS',
      },
      privacyAndCompliance: {
        allowsPurchases: false,
        usesPersonalInfo: false,
        isChildDirected: false,
        isExportCompliant: true,
        containsAds: false,
      },
      // The daily wind-down reminder; the skill asks for consent with a card when it is not granted.
      permissions: [{ name: REMINDERS_PERMISSION }],
      // The ASK CLI's Lambda deployer (ask-resources.json) fills in the endpoint when it deploys. On a
      // screen (APL), the breathing shape follows the session.
      apis: {
        custom: {
          interfaces: [
            {
              type: 'ALEXA_PRESENTATION_APL',
              supportedViewports: [
                { mode: 'HUB', shape: 'ROUND', minWidth: 100, maxWidth: 960, minHeight: 100, maxHeight: 960 },
                { mode: 'HUB', shape: 'RECTANGLE', minWidth: 960, maxWidth: 1920, minHeight: 480, maxHeight: 1280 },
              ],
            },
          ],
        },
      },
    },
  };
}
