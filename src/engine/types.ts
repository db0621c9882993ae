/**
 * A SessionPlan is the one timeline a session is made of. The voice (SSML) and the lights
 * (choreography) are both rendered from it, so they cannot disagree.
 */
import type { Technique } from '../content/schema';

export interface SessionOptions {
  /** Requested length in minutes; the plan's total is within 5 % of it. */
  minutes: number;
  /** Breaths per minute at the start of the session (default 10). */
  startBpm: number;
  /** Breaths per minute the pace slows towards by the end (default 6). */
  endBpm: number;
  /** Alexa prosody rate in percent (default 90: slow and calm; Alexa accepts 20 and above). */
  ratePercent: number;
  /** "full": the script's instructions (first time, or asked for); "short": a returning listener's few words. */
  introduction: 'full' | 'short';
  /**
   * No lamps breathe along: the voice keeps the pace where the lights would have carried it, and lines
   * about the lights are replaced. False: the light-led shape, where the voice steps back.
   */
  voiceOnly: boolean;
  /**
   * How sparse the voice's breath cues are, 0 (as written) to `MAX_SPARSENESS`: a sleep session that
   * would not fit one response is compiled sparser until it does, so it never stops to ask the sleeper
   * to speak. 1: where the voice keeps the pace for absent lamps, only the in-breath is cued; 2: every
   * short "in… out" cue becomes "in"; 3: the pace is cued every other breath. The pace is the same.
   */
  sparseness: number;
  /** What the room does, when it is not the script's own (at night every session is dark). */
  room?: 'breathe' | 'dark';
}

export type BreathPhase = 'inhale' | 'hold' | 'exhale';

interface SegmentBase {
  /** Offset from the plan's start, ms. A multiple of 100. */
  startMs: number;
  /** Length, ms. A multiple of 100. */
  durationMs: number;
}

/** Words spoken; `durationMs` is the speech model's estimate. */
export interface SpeechSegment extends SegmentBase {
  kind: 'speech';
  text: string;
}

/** Silence. */
export interface PauseSegment extends SegmentBase {
  kind: 'pause';
}

/**
 * One breath phase: an optional short cue, then silence to the end of the phase. Its length is exact
 * apart from the cue, which is why cues are a word or two.
 */
export interface BreathSegment extends SegmentBase {
  kind: 'breath';
  phase: BreathPhase;
  cue: string | null;
  /** Progressive muscle relaxation tenses on the inhale and releases on the exhale. */
  effort: 'tense' | 'release' | null;
  /** 0-based breath number within the plan, shared by the phases of one breath. */
  breath: number;
}

export type Segment = SpeechSegment | PauseSegment | BreathSegment;

export interface SessionPlan {
  scriptId: string;
  title: string;
  technique: Technique;
  /** How the session ends: in sleep (lights fade off, no question asked) or awake (lights restored). */
  ending: 'sleep' | 'awake';
  /** What the room does: lamps breathing with the voice, or (in the middle of the night) dark and still. */
  room: 'breathe' | 'dark';
  options: SessionOptions;
  /**
   * Where the voice turns soft (plan offset, ms), or null if it never does: the late part of a session
   * that ends in sleep, and the whole of a dark one.
   */
  softFromMs: number | null;
  totalMs: number;
  /** Contiguous: each segment starts where the previous one ends; the first starts at 0. */
  segments: Segment[];
}

/** One Alexa response's worth of the plan. */
export interface SsmlPart {
  ssml: string;
  /** Plan offset at which this part's speech begins. */
  fromMs: number;
  /** Plan offset at which it ends (the next part's `fromMs`). */
  untilMs: number;
  /**
   * Speech before the plan begins in this part (a welcome, or "let's go on"), estimated in ms: the
   * lights should start at response time + this.
   */
  leadMs: number;
  /** Index of this part, 0-based, and whether it is the last. */
  index: number;
  final: boolean;
}
