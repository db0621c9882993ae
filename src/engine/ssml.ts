/**
 * SessionPlan → SSML for Alexa, packed into as few responses as the platform allows.
 *
 * Alexa fails a response whose speech is 8,000 characters or more and ignores breaks over 10 s, so
 * silences are written as chains of breaks of at most 10 s, adjacent silences are merged before they
 * are written, and breaks use the shortest exact unit ("10s", "3600ms"; never fractional seconds,
 * which some SSML checkers misread). A plan that does not fit one response is cut only where a breath
 * begins or a passage starts, and each part but the last ends with an invitation to continue. A
 * session that ends in sleep is compiled sparser until it fits one response (see `fitsOneResponse`):
 * the invitation is for sessions that end awake.
 *
 * The voice at night: from the plan's `softFromMs` on, the words are wrapped in `<prosody
 * volume="soft">`; a dark room (someone woken in the night) is soft from its first word, and its
 * closing words are whispered (`<amazon:effect name="whispered">`).
 */
import { estimateSpeechMs } from './speech-model';
import type { Segment, SessionPlan, SsmlPart } from './types';

/** Alexa's hard limit is 8,000; the margin leaves room for the skill's own short additions. */
export const DEFAULT_MAX_CHARS = 7_600;
export const MAX_BREAK_MS = 10_000;
export const CONTINUE_PROMPT = "When you're ready for more, just say continue.";
/** The moment of quiet after a lead-in before the session itself begins. */
export const LEAD_GAP_MS = 700;

export interface RenderOptions {
  /** Said before the plan in the first part (a welcome, or "let's go on"). */
  lead?: string;
  maxChars?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function breakTag(ms: number): string {
  return ms % 1000 === 0 ? `<break time="${ms / 1000}s"/>` : `<break time="${ms}ms"/>`;
}

/** Silence as consecutive breaks of at most 10 s; the remainder comes first so chains end on whole seconds. */
export function silence(ms: number): string {
  const whole = Math.floor(ms / MAX_BREAK_MS);
  const rest = ms - whole * MAX_BREAK_MS;
  return (rest > 0 ? breakTag(rest) : '') + breakTag(MAX_BREAK_MS).repeat(whole);
}

/** Words, silence, or a change of voice that lasts to the end of the part (the writer closes it). */
type Token = { text: string } | { silenceMs: number } | { open: string; close: string };

const SOFT: Token = { open: '<prosody volume="soft">', close: '</prosody>' };
const WHISPER: Token = { open: '<amazon:effect name="whispered">', close: '</amazon:effect>' };

function tokensOf(segment: Segment, ratePercent: number): Token[] {
  switch (segment.kind) {
    case 'speech':
      return [{ text: segment.text }];
    case 'pause':
      return [{ silenceMs: segment.durationMs }];
    case 'breath': {
      if (segment.cue === null) return [{ silenceMs: segment.durationMs }];
      const cueMs = Math.min(estimateSpeechMs(segment.cue, ratePercent), segment.durationMs);
      return [{ text: segment.cue }, { silenceMs: segment.durationMs - cueMs }];
    }
  }
}

/**
 * Writes tokens as SSML, merging neighbouring silences and joining words with single spaces. Its
 * `length` is exact at every step, so a part can be packed to the character without re-rendering.
 */
class SsmlWriter {
  private out = '';
  private pendingSilence = 0;
  private needsSpace = false;
  private closing = '';

  add(token: Token): this {
    if ('silenceMs' in token) {
      this.pendingSilence += token.silenceMs;
      return this;
    }
    this.flushSilence();
    if ('open' in token) {
      this.out += token.open;
      this.closing = token.close + this.closing;
      this.needsSpace = false;
      return this;
    }
    this.out += (this.needsSpace ? ' ' : '') + escapeText(token.text);
    this.needsSpace = true;
    return this;
  }

  private flushSilence(): void {
    if (this.pendingSilence <= 0) return;
    this.out += silence(this.pendingSilence);
    this.pendingSilence = 0;
    this.needsSpace = false;
  }

  get length(): number {
    return this.out.length + (this.pendingSilence > 0 ? silence(this.pendingSilence).length : 0) + this.closing.length;
  }

  toString(): string {
    return this.out + (this.pendingSilence > 0 ? silence(this.pendingSilence) : '') + this.closing;
  }
}

function renderTokens(tokens: readonly Token[]): string {
  const writer = new SsmlWriter();
  for (const token of tokens) writer.add(token);
  return writer.toString();
}

function wrap(body: string, ratePercent: number): string {
  return `<speak><prosody rate="${ratePercent}%">${body}</prosody></speak>`;
}

/** A plain reply in the same calm voice as the sessions. */
export function renderSpeech(text: string, ratePercent = 90): string {
  return wrap(escapeText(text), ratePercent);
}

/** Where a part may end: before a passage, a rest, or the start of a breath; never mid-breath. */
function isCutPoint(segments: readonly Segment[], index: number): boolean {
  const segment = segments[index];
  if (segment === undefined) return true;
  return segment.kind !== 'breath' || segment.phase === 'inhale';
}

export function renderSsml(plan: SessionPlan, options: RenderOptions = {}): SsmlPart[] {
  return renderRange(plan, 0, options);
}

/** Renders the plan from the breath or passage that contains `fromMs` (for resuming). */
export function renderSsmlFrom(plan: SessionPlan, fromMs: number, options: RenderOptions = {}): SsmlPart[] {
  let index = plan.segments.findIndex((s) => s.startMs + s.durationMs > fromMs);
  if (index < 0) return [];
  while (index > 0 && !isCutPoint(plan.segments, index)) index -= 1;
  return renderRange(plan, index, options);
}

/** Where the closing words of a dark session start: from there they are whispered. */
function whisperFrom(plan: SessionPlan): number | null {
  return plan.room === 'dark' ? (plan.segments.findLast((s) => s.kind === 'speech')?.startMs ?? null) : null;
}

/** The segment's words and silences, preceded by a change of voice if the plan's voice changes at it. */
function voicedTokens(plan: SessionPlan, segment: Segment, first: boolean): Token[] {
  const tokens = tokensOf(segment, plan.options.ratePercent);
  const whisper = whisperFrom(plan);
  const changes: Token[] = [];
  if (!first && plan.softFromMs !== null && plan.softFromMs > 0 && segment.startMs === plan.softFromMs) changes.push(SOFT);
  if (whisper !== null && (first ? segment.startMs >= whisper : segment.startMs === whisper)) changes.push(WHISPER);
  return [...changes, ...tokens];
}

/** The voice a part starts in: soft if it begins at or after the plan turns soft (or the whole plan is soft). */
function openingVoice(plan: SessionPlan, fromMs: number): Token[] {
  return plan.softFromMs !== null && fromMs >= plan.softFromMs ? [SOFT] : [];
}

function renderRange(plan: SessionPlan, firstIndex: number, options: RenderOptions): SsmlPart[] {
  const rate = plan.options.ratePercent;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const segments = plan.segments;
  const leadTokens: Token[] = options.lead ? [{ text: options.lead }, { silenceMs: LEAD_GAP_MS }] : [];
  const leadMs = options.lead ? estimateSpeechMs(options.lead, rate) + LEAD_GAP_MS : 0;
  const closing: Token[] = [{ silenceMs: 1000 }, { text: CONTINUE_PROMPT }];
  const frame = wrap('', rate).length;
  // Merging the closing's silence into a part's last one can only shorten it, so this is an upper bound.
  const closingLength = renderTokens(closing).length;

  const parts: SsmlPart[] = [];
  let start = firstIndex;
  while (start < segments.length) {
    const lead = [...openingVoice(plan, segments[start]!.startMs), ...(parts.length === 0 ? leadTokens : [])];
    // Greedy: take segments while the part (with its closing invitation) fits, then back off to the
    // last place a part may end. Silence merged across segments is counted as it will be written.
    const writer = new SsmlWriter();
    for (const token of lead) writer.add(token);
    let end = start;
    let lastCut = -1;
    while (end < segments.length) {
      for (const token of voicedTokens(plan, segments[end]!, end === start)) writer.add(token);
      if (writer.length + closingLength + frame >= maxChars) break;
      end += 1;
      if (isCutPoint(segments, end)) lastCut = end;
    }
    if (end < segments.length) {
      if (lastCut <= start) throw new RangeError(`segment ${end} of "${plan.scriptId}" cannot fit in ${maxChars} characters`);
      end = lastCut;
    }
    const final = end >= segments.length;
    const tokens = [...lead, ...segments.slice(start, end).flatMap((s, i) => voicedTokens(plan, s, i === 0)), ...(final ? [] : closing)];
    const first = segments[start]!;
    const last = segments[end - 1]!;
    parts.push({
      ssml: wrap(renderTokens(tokens), rate),
      fromMs: first.startMs,
      untilMs: last.startMs + last.durationMs,
      leadMs: parts.length === 0 ? leadMs : 0,
      index: parts.length,
      final,
    });
    start = end;
  }
  return parts;
}
