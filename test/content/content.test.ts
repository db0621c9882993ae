import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FAQ, faqById } from '../../src/content/faq';
import { FAQ_TOPICS, FaqEntry, Script, TECHNIQUES } from '../../src/content/schema';
import type { Step } from '../../src/content/schema';
import { SCRIPTS, scriptById } from '../../src/content/scripts';
import { DEFAULT_OPTIONS } from '../../src/engine/compile';
import { estimateSpeechMs } from '../../src/engine/speech-model';

// Content is sized against the engine's own speech model at the default rate (90 %: about 140 words a
// minute, plus short rests at sentence ends and commas). Breaths in counted blocks take their block's
// pace, or the slowest default pace (6 a minute: 10 s each), whichever is longer.
const RATE = DEFAULT_OPTIONS.ratePercent;
const SLOWEST_BPM = Math.min(DEFAULT_OPTIONS.startBpm, DEFAULT_OPTIONS.endBpm);

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const sentences = (text: string): number => (text.match(/[.!?](?=\s|$)/g) ?? []).length;
const speechMs = (text: string): number => estimateSpeechMs(text, RATE);

function fixedMs(step: Step): number {
  switch (step.type) {
    case 'speak':
      return speechMs(step.text);
    case 'pause':
    case 'tense':
    case 'release':
      return step.ms;
    case 'breathe':
      return step.cycles === 'fill' ? 0 : step.cycles * (60_000 / Math.min(step.bpm ?? SLOWEST_BPM, SLOWEST_BPM) + (step.holdMs ?? 0));
  }
}
const scriptFixedMs = (s: Script): number => s.steps.reduce((sum, step) => sum + fixedMs(step), 0);

/** Everything a script says aloud, in order. */
function spokenTexts(s: Script): string[] {
  const out = [s.summary];
  for (const step of s.steps) {
    if (step.type === 'speak') out.push(step.text);
    else if (step.type === 'tense' || step.type === 'release') out.push(step.cue);
  }
  return out;
}
const spokenOf = (s: Script): string => spokenTexts(s).join(' ');

// Plain words and ordinary punctuation only: nothing the SSML renderer must escape (& < > " '), apart
// from the ASCII apostrophe, and no curly quotes, ellipses or symbols a voice would read oddly.
const SAFE_SPEECH = /^[A-Za-z0-9 .,;:?!'-]+$/;
const BANNED_CLAIMS: readonly RegExp[] = [
  /disc degeneration/i,
  /lumbar disc/i,
  /serotonin/i,
  /antidepressant/i,
  /\bcur(e|es|ed|ing)\b/i,
  /\bdiagnos/i,
  /\bheal(s|ed|ing)?\b/i,
  /damaged tissue/i,
  /more effective than/i,
  /than medication/i,
  /\bguarantee/i,
];
const DISCLAIMER = /isn't medical advice/i;
const SEE_CLINICIAN = /see a doctor/i;
const MENTIONS_PAIN = /\b(pain|painful|hurts?)\b/i;

function expectSpeakable(text: string, where: string): void {
  expect({ where, ok: SAFE_SPEECH.test(text) }).toEqual({ where, ok: true });
  expect({ where, text: text.trim() === text && !/\s{2}/.test(text) }).toEqual({ where, text: true });
  for (const claim of BANNED_CLAIMS) expect({ where, claim: claim.test(text) ? claim.source : null }).toEqual({ where, claim: null });
}

describe('scripts', () => {
  test('every script parses against the schema, and the loaded list equals its parse', () => {
    expect(SCRIPTS.length).toBeGreaterThanOrEqual(11);
    for (const s of SCRIPTS) expect(Script.parse(s)).toEqual(s);
  });

  test('the schema rejects what the scripts must never contain', () => {
    const base = SCRIPTS[0]!;
    expect(Script.safeParse({ ...base, room: 'bright' }).success).toBe(false);
    expect(Script.safeParse({ ...base, steps: [{ type: 'tense', group: 'toes', cue: 'Curl', ms: 8000 }] }).success).toBe(false);
    expect(Script.safeParse({ ...base, steps: [{ type: 'pause', ms: 50 }] }).success).toBe(false);
    expect(Script.safeParse({ ...base, extra: true }).success).toBe(false);
  });

  test('ids are unique and scriptById finds each one', () => {
    const ids = SCRIPTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCRIPTS) expect(scriptById(s.id)).toBe(s);
    expect(scriptById('no-such-script')).toBeUndefined();
  });

  test('the required sessions exist with their techniques and endings', () => {
    const expected: Record<string, [Script['technique'], Script['ending']]> = {
      'paced-breathing': ['breathing', 'sleep'],
      'six-breaths': ['breathing', 'awake'],
      'pmr-full': ['pmr', 'sleep'],
      'pmr-short': ['pmr', 'sleep'],
      'pmr-back': ['back-pmr', 'sleep'],
      'body-scan': ['body-scan', 'sleep'],
      'breath-awareness': ['meditation', 'sleep'],
      'guided-imagery': ['imagery', 'sleep'],
      'back-stretch': ['back-stretch', 'sleep'],
      autogenic: ['autogenic', 'sleep'],
      'back-to-sleep': ['back-to-sleep', 'sleep'],
    };
    for (const [id, [technique, ending]] of Object.entries(expected)) {
      const s = scriptById(id);
      expect({ id, technique: s?.technique, ending: s?.ending }).toEqual({ id, technique, ending });
    }
    // Every technique the skill knows has at least one session.
    for (const t of TECHNIQUES) expect(SCRIPTS.some((s) => s.technique === t)).toBe(true);
  });

  test('offered lengths are distinct, and titles are distinct', () => {
    for (const s of SCRIPTS) expect(new Set(s.minutes).size).toBe(s.minutes.length);
    expect(new Set(SCRIPTS.map((s) => s.title.toLowerCase())).size).toBe(SCRIPTS.length);
  });

  test('every script can stretch: it has a fill block, and its fixed part leaves room at its shortest length', () => {
    for (const s of SCRIPTS) {
      expect({ id: s.id, fill: s.steps.some((st) => st.type === 'breathe' && st.cycles === 'fill') }).toEqual({ id: s.id, fill: true });
      const shortestMs = Math.min(...s.minutes) * 60_000;
      const fixed = scriptFixedMs(s);
      // At least 30 % of the shortest length is left for paced breathing.
      expect({ id: s.id, share: Math.round((fixed / shortestMs) * 100) / 100, fits: fixed <= 0.7 * shortestMs }).toEqual(
        expect.objectContaining({ id: s.id, fits: true }),
      );
    }
  });

  test('six slow breaths is exactly six fixed cycles, and about two minutes', () => {
    const s = scriptById('six-breaths')!;
    expect(s.minutes).toEqual([2]);
    const fixedBlocks = s.steps.filter((st) => st.type === 'breathe' && st.cycles !== 'fill');
    // The article's short form: a ten-second cycle, six times.
    expect(fixedBlocks).toEqual([expect.objectContaining({ cycles: 6, bpm: 6 })]);
    const fixed = scriptFixedMs(s);
    expect(fixed).toBeGreaterThan(0.55 * 120_000);
    expect(fixed).toBeLessThanOrEqual(120_000);
  });

  test('paced breathing starts with full cues, then short, then none', () => {
    const s = scriptById('paced-breathing')!;
    const cues = s.steps.flatMap((st) => (st.type === 'breathe' ? [st.cues ?? 'full'] : []));
    const order = ['full', 'short', 'none'];
    const ranks = cues.map((c) => order.indexOf(c));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(cues)).toEqual(new Set(order));
    expect(s.minutes[0]).toBe(10);
    expect(spokenOf(s)).toMatch(/belly/i);
    expect(spokenOf(s)).toMatch(/diaphragm/i);
  });

  test('every tense step lasts 3 to 7 seconds and is followed by a release of 6 to 8 seconds', () => {
    let tenses = 0;
    for (const s of SCRIPTS) {
      s.steps.forEach((step, i) => {
        if (step.type !== 'tense') return;
        tenses++;
        expect(step.ms).toBeGreaterThanOrEqual(3000);
        expect(step.ms).toBeLessThanOrEqual(7000);
        const next = s.steps[i + 1];
        expect({ id: s.id, group: step.group, next: next?.type }).toEqual({ id: s.id, group: step.group, next: 'release' });
        if (next?.type === 'release') {
          expect(next.ms).toBeGreaterThanOrEqual(6000);
          expect(next.ms).toBeLessThanOrEqual(8000);
        }
      });
    }
    expect(tenses).toBeGreaterThanOrEqual(20);
  });

  test('tense and release cues are short enough to leave a silent hold inside their own step', () => {
    // The cue is said at the start of the step; what is left is held (or let go) in silence.
    const HOLD_MS = 1200;
    for (const s of SCRIPTS) {
      for (const step of s.steps) {
        if (step.type !== 'tense' && step.type !== 'release') continue;
        expect({ cue: step.cue, fits: speechMs(step.cue) + HOLD_MS <= step.ms }).toEqual({ cue: step.cue, fits: true });
        expect(step.cue).toMatch(/breath(e|ing) (in|out)/i);
      }
    }
  });

  test('only muscle relaxation sessions tense and release, and they do it in pairs', () => {
    for (const s of SCRIPTS) {
      const tense = s.steps.filter((st) => st.type === 'tense').length;
      const release = s.steps.filter((st) => st.type === 'release').length;
      expect(tense).toBe(release);
      if (s.technique === 'pmr' || s.technique === 'back-pmr') expect(tense).toBeGreaterThanOrEqual(5);
      else expect(tense).toBe(0);
    }
  });

  test('the full relaxation goes from the toes to the face, through every group the article names', () => {
    const groups = scriptById('pmr-full')!.steps.flatMap((st) => (st.type === 'tense' ? [st.group] : []));
    const order = [/toes|feet/, /calves/, /thighs/, /buttocks/, /hands/, /forearms/, /upper arms/, /shoulders/, /neck/, /jaw|face/, /eyes|face/, /forehead|face/];
    let from = 0;
    for (const pattern of order) {
      const at = groups.findIndex((g, i) => i >= from && pattern.test(g));
      expect({ pattern: pattern.source, found: at >= 0 }).toEqual({ pattern: pattern.source, found: true });
      from = at + 1;
    }
  });

  test('spoken text needs no escaping and makes no banned claims', () => {
    for (const s of SCRIPTS) {
      spokenTexts(s).forEach((t, i) => expectSpeakable(t, `${s.id}#${i}`));
      expectSpeakable(s.title, `${s.id} title`);
    }
  });

  test('the back-friendly session is gentle, lets you skip what hurts, and says once that it is not medical advice', () => {
    const s = scriptById('pmr-back')!;
    const spoken = spokenOf(s);
    expect(spoken).toMatch(/skip/i);
    expect(spoken).toMatch(/hurts/i);
    expect(spoken).toMatch(/half/i);
    expect(spoken).toMatch(/never arch/i);
    expect(spoken).toMatch(/knees/i);
    expect(spoken.match(/isn't medical advice/gi)).toHaveLength(1);
    expect(spoken).toMatch(SEE_CLINICIAN);
    // The lower back is breathed into, never tensed.
    for (const st of s.steps) if (st.type === 'tense') expect(`${st.group} ${st.cue}`).not.toMatch(/back|arch/i);
    expect(spoken).toMatch(/lower back\. Don't tense/);
  });

  test('any script that talks about pain carries the not-medical-advice line', () => {
    for (const s of SCRIPTS) {
      const spoken = spokenOf(s);
      if (MENTIONS_PAIN.test(spoken)) {
        expect({ id: s.id, disclaimer: DISCLAIMER.test(spoken) && SEE_CLINICIAN.test(spoken) }).toEqual({ id: s.id, disclaimer: true });
      }
    }
  });

  test('the body scan, the meditation, the imagery and autogenic training say that a wandering mind is normal', () => {
    for (const id of ['body-scan', 'breath-awareness', 'guided-imagery', 'autogenic']) {
      const spoken = spokenOf(scriptById(id)!);
      expect(spoken).toMatch(/wander/i);
      expect(spoken).toMatch(/normal/i);
      expect(spoken).toMatch(/gently/i);
    }
  });

  test('muscle relaxation warns about cramp wherever it curls the toes', () => {
    let curls = 0;
    for (const s of SCRIPTS) {
      s.steps.forEach((step, i) => {
        if (step.type !== 'tense' || !/curl your toes/i.test(step.cue)) return;
        curls++;
        const before = s.steps[i - 1];
        expect({ id: s.id, warned: before?.type === 'speak' && /ease off if your foot starts to cramp/i.test(before.text) }).toEqual({ id: s.id, warned: true });
      });
    }
    expect(curls).toBeGreaterThanOrEqual(3);
  });

  test('the not-medical-advice line is never followed straight away by a breath cue', () => {
    for (const s of SCRIPTS) {
      s.steps.forEach((step, i) => {
        if (step.type !== 'speak' || !DISCLAIMER.test(step.text)) return;
        expect({ id: s.id, next: s.steps[i + 1]?.type }).toEqual({ id: s.id, next: 'pause' });
      });
    }
  });

  test('in the full relaxation, the jaw, eyes and forehead each get a rest like the other groups', () => {
    const steps = scriptById('pmr-full')!.steps;
    // After every release, a fill block comes before the next muscle group is named.
    steps.forEach((step, i) => {
      if (step.type !== 'release') return;
      const nextTense = steps.findIndex((st, j) => j > i && st.type === 'tense');
      const rest = steps.slice(i + 1, nextTense < 0 ? steps.length : nextTense);
      expect({ after: step.cue, rests: rest.some((st) => st.type === 'breathe' && st.cycles === 'fill') }).toEqual({ after: step.cue, rests: true });
    });
  });

  test('the gentle back stretches: one knee at a time to the chest, a pelvic tilt and a lying twist, one breath per movement, each with skip it if it hurts', () => {
    const s = scriptById('back-stretch')!;
    const moves = [/one knee to your chest/i, /pelvic tilt/i, /lying twist/i];
    for (const move of moves) {
      const at = s.steps.findIndex((st) => st.type === 'speak' && move.test(st.text));
      expect({ move: move.source, found: at >= 0 }).toEqual({ move: move.source, found: true });
      // The way to move (breathe out, then in, skip it if it hurts) is said before the first counted breath.
      const counted = s.steps.findIndex((st, j) => j > at && st.type === 'breathe');
      const said = s.steps.slice(at, counted).flatMap((st) => (st.type === 'speak' ? [st.text] : [])).join(' ');
      expect(said).toMatch(/skip it if it hurts/i);
      expect(said).toMatch(/breathe out[^.]*\. As you breathe in/i);
      // Time to get into position: at least 3 seconds of silence between naming it and the first breath.
      const settle = s.steps.slice(at, counted).reduce((ms, st) => ms + (st.type === 'pause' ? st.ms : 0), 0);
      expect({ move: move.source, settle: settle >= 3000 }).toEqual({ move: move.source, settle: true });
      // The movement is followed by counted breaths with full cues: one movement per breath.
      expect(s.steps[counted]).toEqual(expect.objectContaining({ cues: 'full', cycles: expect.any(Number) as number }));
    }
    // Never both knees lifted at once.
    expect(spokenOf(s)).not.toMatch(/knees (gently )?(to|toward) your chest|draw your knees/i);
    expect(spokenOf(s)).toMatch(/right knee[^]*left knee/i);
    expect(spokenOf(s).match(/isn't medical advice/gi)).toHaveLength(1);
    // No muscle is tensed: stretches move with the breath.
    expect(s.steps.some((st) => st.type === 'tense')).toBe(false);
  });

  test('movement safety: osteoporosis and surgery, and the stop rule, where the body moves', () => {
    for (const id of ['back-stretch']) {
      const spoken = spokenOf(scriptById(id)!);
      expect(spoken).toMatch(/osteoporosis/i);
      expect(spoken).toMatch(/spine or hip surgery/i);
      expect(spoken).toMatch(/stop if pain travels down your leg, or you feel tingling/i);
    }
  });

  test('muscle relaxation keeps the breath moving while a muscle is held, and the short one says to ease off', () => {
    for (const id of ['pmr-full', 'pmr-short', 'pmr-back']) {
      const s = scriptById(id)!;
      for (const intro of ['full', 'short'] as const) {
        const spoken = s.steps.flatMap((st) => (st.type === 'speak' && (st.intro === undefined || st.intro === intro) ? [st.text] : [])).join(' ');
        expect({ id, intro, soft: /keep breathing softly while you hold/i.test(spoken) }).toEqual({ id, intro, soft: true });
      }
    }
    expect(spokenOf(scriptById('pmr-short')!)).toMatch(/ease off if it hurts/i);
  });

  test('smaller things: calves are pointed, not pulled up; eyes close after the lights are named', () => {
    const calves = scriptById('pmr-full')!.steps.find((st) => st.type === 'tense' && st.group === 'calves');
    expect(calves?.type === 'tense' && calves.cue).toMatch(/point your toes/i);
    for (const s of SCRIPTS) {
      s.steps.forEach((st, i) => {
        if (st.type !== 'speak' || !/close your eyes/i.test(st.text)) return;
        // "Follow the lights" never comes after "close your eyes" in the steps that follow it.
        const later = s.steps.slice(i + 1).some((next) => next.type === 'speak' && /follow[^.]*lights/i.test(next.text));
        expect({ id: s.id, later }).toEqual({ id: s.id, later: false });
      });
    }
  });

  test('guided imagery paints a sunset and a field of flowers; autogenic training works with heaviness and warmth', () => {
    const imagery = spokenOf(scriptById('guided-imagery')!);
    expect(imagery).toMatch(/sun/i);
    expect(imagery).toMatch(/field of flowers/i);
    const autogenic = spokenOf(scriptById('autogenic')!);
    expect(autogenic).toMatch(/heavy/i);
    expect(autogenic).toMatch(/warm/i);
    expect(autogenic).toMatch(/silently/i);
  });

  test('back to sleep is short, quiet and dark: no lights mentioned, lamps dim, no diffuser', () => {
    const s = scriptById('back-to-sleep')!;
    expect(s.room).toBe('dark');
    expect(Math.min(...s.minutes)).toBeLessThanOrEqual(5);
    expect(Math.max(...s.minutes)).toBeLessThanOrEqual(10);
    const spoken = spokenOf(s);
    expect(spoken).not.toMatch(/\b(light|lights|lamp|lamps|diffuser|scent)\b/i);
    // Few words: under a minute and a half of speech in all.
    expect(speechMs(spoken)).toBeLessThan(90_000);
    // Every other script leaves the room as it was: breathing lamps.
    for (const other of SCRIPTS) if (other.id !== s.id) expect({ id: other.id, room: other.room ?? 'breathe' }).toEqual({ id: other.id, room: 'breathe' });
  });

  test('no new script speaks of lights: the voice may be all someone has', () => {
    for (const id of ['guided-imagery', 'back-stretch', 'autogenic', 'back-to-sleep']) {
      expect({ id, lights: /\b(light|lights|lamp|lamps)\b/i.test(spokenOf(scriptById(id)!)) }).toEqual({ id, lights: false });
    }
  });

  test('wording: no doubled comfort, no pace of a voice that has none', () => {
    for (const s of SCRIPTS) {
      const spoken = spokenOf(s);
      expect({ id: s.id, comfortable: (spoken.match(/get comfortable/gi) ?? []).length <= 1 }).toEqual({ id: s.id, comfortable: true });
      expect(spoken).not.toMatch(/pace of my voice/i);
    }
  });

  test('every script file in src/content/scripts is listed in SCRIPTS under its own id', async () => {
    const dir = join(__dirname, '../../src/content/scripts');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.length).toBe(SCRIPTS.length);
    for (const file of files) {
      const mod = (await import(join(dir, file))) as { default?: { id?: unknown } };
      const id = mod.default?.id;
      expect({ file, id }).toEqual({ file, id: file.replace(/\.ts$/, '') });
      expect(SCRIPTS.some((s) => s.id === id)).toBe(true);
    }
  });
});

describe('FAQ', () => {
  test('every entry parses against the schema', () => {
    for (const e of FAQ) expect(FaqEntry.parse(e)).toEqual(e);
  });

  test('there are 25 to 55 entries, with unique ids, and every topic is covered', () => {
    expect(FAQ.length).toBeGreaterThanOrEqual(25);
    expect(FAQ.length).toBeLessThanOrEqual(55);
    const ids = FAQ.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of FAQ) expect(faqById(e.id)).toBe(e);
    for (const topic of FAQ_TOPICS) expect(FAQ.filter((e) => e.topic === topic).length).toBeGreaterThanOrEqual(4);
  });

  test('each answer is short: at most 60 words and 1 to 4 sentences', () => {
    for (const e of FAQ) {
      const n = sentences(e.answer);
      expect({ id: e.id, words: words(e.answer) <= 60, sentences: n >= 1 && n <= 4 }).toEqual({ id: e.id, words: true, sentences: true });
    }
  });

  test('answers need no escaping and make no banned claims', () => {
    for (const e of FAQ) expectSpeakable(e.answer, e.id);
  });

  test('each entry has 3 to 6 alternatives, none of them shared with another entry or its own question', () => {
    const seen = new Map<string, string>();
    for (const e of FAQ) {
      expect({ id: e.id, n: e.alternatives.length >= 3 && e.alternatives.length <= 6 }).toEqual({ id: e.id, n: true });
      expect(e.keywords.length).toBeGreaterThanOrEqual(1);
      const norm = (t: string) => t.toLowerCase().replace(/[^a-z0-9 ]/g, '').trim();
      expect(e.alternatives.map(norm)).not.toContain(norm(e.question));
      for (const alt of [e.question, ...e.alternatives].map(norm)) {
        expect({ alt, owner: seen.get(alt) ?? e.id }).toEqual({ alt, owner: e.id });
        seen.set(alt, e.id);
      }
      expect(e.question).toMatch(/\?$/);
    }
  });

  test('every answer that talks about pain carries the not-medical-advice line', () => {
    let painAnswers = 0;
    for (const e of FAQ) {
      if (!MENTIONS_PAIN.test(e.answer)) continue;
      painAnswers++;
      expect({ id: e.id, disclaimer: DISCLAIMER.test(e.answer) && SEE_CLINICIAN.test(e.answer) }).toEqual({ id: e.id, disclaimer: true });
    }
    expect(painAnswers).toBeGreaterThanOrEqual(5);
  });

  test("the article's six questions are answered", () => {
    for (const id of ['can-it-help', 'how-mindfulness-helps', 'which-techniques', 'how-relaxation-helps', 'need-a-therapist', 'how-long-until-results']) {
      expect(faqById(id)?.topic).toBe('article');
    }
  });

  test('safety answers: oils around pregnancy, children, pets and asthma; patch tests; never swallow; never an unattended flame', () => {
    const expectations: Record<string, RegExp[]> = {
      'oils-pregnancy': [/pregnant/i, /midwife|doctor|pharmacist/i],
      'oils-children': [/child/i, /baby/i, /out of reach/i, /eucalyptus and peppermint/i],
      'oils-pets': [/cats/i, /bird/i, /sleeps/i, /drooling/i, /vomiting/i, /wobbliness/i, /laboured breathing/i, /vet/i],
      'oils-asthma': [/asthma/i, /doctor/i, /turn the diffuser off/i],
      'oils-epilepsy': [/epilepsy/i, /doctor/i, /seizure/i],
      'oils-nut-allergy': [/nut oil/i, /another carrier/i],
      'patch-test': [/carrier oil/i, /small patch/i, /wash it off/i],
      'swallow-oils': [/never swallow/i, /poison/i],
      'candle-warmer': [/never leave/i, /unattended/i],
      'dilute-oils': [/never use them neat/i, /patch/i],
    };
    for (const [id, patterns] of Object.entries(expectations)) {
      const entry = faqById(id);
      expect({ id, topic: entry?.topic === 'safety' || entry?.topic === 'aromatherapy' }).toEqual({ id, topic: true });
      for (const p of patterns) expect({ id, p: p.source, ok: p.test(entry?.answer ?? '') }).toEqual({ id, p: p.source, ok: true });
    }
  });

  test('back pain in two tiers: the emergency signs send the listener to emergency services now, the others to a doctor soon', () => {
    const emergency = faqById('back-pain-emergency')!.answer;
    for (const sign of [/numbness between your legs/i, /bladder or bowel/i, /both legs/i, /chest pain/i, /fall or accident/i]) expect(emergency).toMatch(sign);
    expect(emergency).toMatch(/call emergency services now/i);
    const soon = faqById('back-pain-red-flags')!.answer;
    for (const sign of [/fever/i, /weight loss/i, /worse at night or at rest/i, /cancer/i]) expect(soon).toMatch(sign);
    expect(soon).toMatch(/see a doctor soon/i);
  });

  test('the questions people ask next are answered, and PMR with back pain points to the back-friendly session', () => {
    for (const id of ['what-is-paced-breathing', 'what-is-autogenic', 'sleep-position-back-pain', 'waking-at-night', 'screens-before-bed', 'pmr-safe-back-pain']) {
      expect(faqById(id)).toBeDefined();
    }
    expect(faqById('pmr-safe-back-pain')!.answer).toMatch(/back friendly relaxation/i);
    expect(faqById('waking-at-night')!.answer).toMatch(/help me get back to sleep/i);
  });

  test('wording: the oils are not all called relaxing, one study is not claimed, nothing is promised absolutely', () => {
    expect(faqById('which-oils')!.answer).not.toMatch(/most often used to relax/i);
    expect(faqById('does-yoga-help')!.answer).not.toMatch(/in one study/i);
    expect(faqById('does-yoga-help')!.answer).toMatch(/without that focus/i);
    for (const e of FAQ) expect({ id: e.id, never: /never keeps running/i.test(e.answer) }).toEqual({ id: e.id, never: false });
  });

  test('aromatherapy answers name the oils, say to dilute them, and are honest about the evidence', () => {
    const oils = faqById('which-oils')!.answer.toLowerCase();
    for (const oil of ['lavender', 'eucalyptus', 'chamomile', 'ylang-ylang']) expect(oils).toContain(oil);
    expect(faqById('dilute-oils')!.answer).toMatch(/carrier oil/);
    expect(faqById('dilute-oils')!.answer).toMatch(/olive|almond/);
    expect(faqById('does-aromatherapy-work')!.answer).toMatch(/evidence is limited/i);
  });

  test('the skill answers match what the skill does', () => {
    expect(faqById('what-do-lights-do')!.answer).toMatch(/brighten[^.]*breathe in[^.]*dim[^.]*breathe out/i);
    expect(faqById('what-do-lights-do')!.answer).toMatch(/fade/i);
    const diffuser = faqById('diffuser-control')!.answer;
    expect(diffuser).toMatch(/turn on the diffuser/i);
    expect(diffuser).toMatch(/turn off the diffuser/i);
    expect(diffuser).toMatch(/itself off/i);
    const bedtime = faqById('set-bedtime')!.answer;
    expect(bedtime).toMatch(/set my bedtime to/i);
    expect(bedtime).toMatch(/when is my bedtime/i);
    const controls = faqById('stop-pause-continue')!.answer;
    for (const word of ['stop', 'pause', 'continue']) expect(controls).toContain(word);
  });

  test('the list of sessions names every script by its title', () => {
    const answer = faqById('what-sessions')!.answer.toLowerCase();
    for (const s of SCRIPTS) expect({ title: s.title, named: answer.includes(s.title.toLowerCase()) }).toEqual({ title: s.title, named: true });
  });

  test('the answer on session lengths matches what the scripts offer', () => {
    const all = SCRIPTS.flatMap((s) => s.minutes).filter((m) => m >= 5);
    const answer = faqById('session-length')!.answer;
    expect(answer).toMatch(new RegExp(`from ${spell(Math.min(...all))} to ${spell(Math.max(...all))} minutes`));
  });
});

function spell(n: number): string {
  const names: Record<number, string> = { 5: 'five', 10: 'ten', 15: 'fifteen', 20: 'twenty', 30: 'thirty' };
  return names[n] ?? String(n);
}
