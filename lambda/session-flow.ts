/**
 * Playing a wind-down session: one response speaks one part of the plan, and the home is sent the
 * same part of the light choreography, timed to start when the voice reaches it.
 *
 * Ending a response:
 *  - A part that is not the last ends with the engine's invitation to say "continue" and keeps the
 *    session open, but with no reprompt: someone who drifted off is not woken by a second prompt; the
 *    microphone closes quietly after a few seconds and "ask wind down to continue" picks up the place.
 *  - A session that ends in sleep is always one part: its breath cues are thinned (the engine's
 *    `sparseness`) until the whole of it, with this response's lead, fits one response. Only a session
 *    that ends awake may be split, so the only invitation to speak is to someone awake.
 *  - The last part ends the session (`shouldEndSession: true`, no reprompt). A session that ends in sleep
 *    ends in silence with the lights fading; opening the microphone would light the Echo's ring and
 *    wait for an answer from someone we hope is asleep. A short "awake" session ends the same way: it
 *    has said its goodbye, and the person can simply ask for another.
 */
import { getSupportedInterfaces, type HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { Script } from '../src/content/schema';
import { APL_INTERFACE, type RenderDocumentDirective } from '../src/engine/apl';
import { choreograph } from '../src/engine/choreography';
import { compilePlan, leastSparse } from '../src/engine/compile';
import { renderSsml, renderSsmlFrom } from '../src/engine/ssml';
import type { SessionPlan, SsmlPart } from '../src/engine/types';
import type { Choreography } from '../src/protocol/messages';
import { forgetRevokedHome, homeOf, persisted, sendHome, sessionAttrs, setSessionAttrs, updatePersisted, type HomeOutcome, type SkillDeps } from './context';
import type { CommandBody } from './home-link';
import { lampsBreathe, type HomeView } from './home-view';
import { isNight } from './night';
import { screenDocuments } from './screen';
import { LIGHTS_UNREACHABLE, OIL_SAFETY, PAIR_HINT, PAIR_REVOKED } from './speech';
import { SESSION_MEMORY_MS, type StoredSession } from './state';

export interface PlayRequest {
  script: Script;
  minutes: number;
  /** Plan offset to speak from: 0 for a new session. */
  fromMs: number;
  sessionId: string;
  lead?: string;
  /** Turn the diffuser on with the session (unless this listener said not to, or the home has none). */
  diffuser: boolean;
  /** "full": the instructions; "short": a returning listener's few words. A resumed session keeps its own. */
  introduction?: 'full' | 'short';
  /** Keep the plan a resumed session was shaped with; a new one is shaped for the home as it is now. */
  voiceOnly?: boolean;
  /**
   * "dark": lamps that are off stay off, nothing brightens, no diffuser. Every session in the middle of
   * the night is dark, and one started then stays dark when resumed. Default: the script's room.
   */
  room?: 'dark';
}

/** Whether the device that asked has a screen that runs APL (an Echo Show). */
export function hasScreen(h: HandlerInput): boolean {
  return getSupportedInterfaces(h.requestEnvelope)[APL_INTERFACE] !== undefined;
}


/** The light steps of one part: the bridge runs those with `fromMs <= atMs < untilMs`. */
export function lightsFor(full: Choreography, part: Pick<SsmlPart, 'fromMs' | 'untilMs'>): Choreography {
  return { ...full, steps: full.steps.filter(([atMs]) => atMs >= part.fromMs && atMs < part.untilMs) };
}

export function diffuserMinutesFor(deps: SkillDeps, sessionMinutes: number): number {
  return Math.min(240, Math.max(deps.config.diffuserMinutes, Math.ceil(sessionMinutes) + 10));
}

/**
 * Plans, choreographies, the SSML of their parts and each part's light steps are pure functions of
 * script, length, starting offset and lead, so a warm container keeps them (a handful of scripts times
 * their lengths, a few leads) instead of compiling and rendering them on every request. A warm
 * LaunchRequest then only stamps and publishes: rendering a whole session's SSML (every part, though
 * one is spoken) and filtering its light steps were most of its own work and most of its garbage.
 */
interface Compiled {
  plan: SessionPlan;
  lights: Choreography;
  parts: Map<string, SsmlPart | undefined>;
  partLights: Map<string, Choreography>;
  screens: Map<string, RenderDocumentDirective>;
}

const compiled = new Map<string, Compiled>();
/** Per plan: more distinct starting points than this (pauses land anywhere) start the memo afresh. */
const MAX_MEMO = 32;

interface Shape {
  introduction: 'full' | 'short';
  voiceOnly: boolean;
  room: 'dark' | undefined;
}

function compiledFor(script: Script, minutes: number, shape: Shape, sparseness: number): Compiled {
  const { introduction, voiceOnly, room } = shape;
  const key = `${script.id}/${minutes}/${introduction}/${voiceOnly ? 'voice' : 'lights'}/${room ?? ''}/${sparseness}`;
  let entry = compiled.get(key);
  if (entry === undefined) {
    const plan = compilePlan(script, { minutes, introduction, voiceOnly, sparseness, ...(room ? { room } : {}) });
    entry = { plan, lights: choreograph(plan), parts: new Map(), partLights: new Map(), screens: new Map() };
    if (compiled.size > 64) compiled.clear();
    compiled.set(key, entry);
  }
  return entry;
}

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  if (map.has(key)) return map.get(key) as V;
  const value = make();
  if (map.size >= MAX_MEMO) map.clear();
  map.set(key, value);
  return value;
}

/** The part of the plan one response speaks, from `fromMs` (0: the beginning), after `lead`. */
function render(entry: Compiled, fromMs: number, lead: string | undefined, maxChars: number): SsmlPart | undefined {
  return memo(entry.parts, `${fromMs}|${maxChars}|${lead ?? ''}`, () => {
    const options = lead === undefined ? { maxChars } : { lead, maxChars };
    return (fromMs <= 0 ? renderSsml(entry.plan, options) : renderSsmlFrom(entry.plan, fromMs, options))[0];
  });
}

/**
 * The part one response speaks, from the plan as full as fits: a session that ends in sleep takes the
 * least sparse plan that speaks to its end from this one response (an awake one is never thinned).
 */
function fitted(script: Script, minutes: number, shape: Shape, fromMs: number, lead: string | undefined, maxChars: number): { entry: Compiled; part: SsmlPart | undefined } {
  const attempt = (sparseness: number) => {
    const entry = compiledFor(script, minutes, shape, sparseness);
    return { entry, part: render(entry, fromMs, lead, maxChars) };
  };
  return script.ending === 'sleep' ? leastSparse(attempt, ({ part }) => part === undefined || part.final) : attempt(0);
}

function partLights(entry: Compiled, part: SsmlPart): Choreography {
  return memo(entry.partLights, `${part.fromMs}|${part.untilMs}`, () => lightsFor(entry.lights, part));
}

function partScreen(entry: Compiled, part: SsmlPart): RenderDocumentDirective {
  return memo(entry.screens, `${part.fromMs}|${part.untilMs}|${part.leadMs}`, () => screenDocuments().breathingDocument(entry.plan, part));
}

/** Which introduction this listener hears for this script: the full one until they have heard it once. */
export function introductionFor(h: HandlerInput, script: Script): 'full' | 'short' {
  return (persisted(h).introduced ?? []).includes(script.id) ? 'short' : 'full';
}

/** Returns null when the plan has nothing left from `fromMs` (the session is over). */
export async function play(h: HandlerInput, deps: SkillDeps, request: PlayRequest): Promise<Response | null> {
  const { script, minutes, sessionId } = request;
  const state = persisted(h);
  // What the home can do decides the shape of the voice: where no lamps breathe, the voice keeps the pace.
  const seen: HomeView = await homeOf(h, deps).view();
  // The home has revoked this pairing: forget it, say how to pair again, and speak the session voice only.
  const revoked = seen.revoked === true;
  if (revoked) forgetRevokedHome(h, deps);
  const home: HomeView = revoked ? { reach: 'disabled', lights: null, diffuser: null } : seen;
  const voiceOnly = request.voiceOnly ?? !lampsBreathe(home);
  const introduction = request.introduction ?? 'full';
  const dark = (request.room ?? script.room) === 'dark' || (await isNight(h, deps));
  const shape: Shape = { introduction, voiceOnly, room: dark ? 'dark' : undefined };
  const maxChars = deps.config.maxSpeechChars;
  const reachable = home.reach !== 'disabled' && home.reach !== 'unreachable';
  // A dark room never brings a scent on, whatever the caller asked.
  const diffuser = request.diffuser && !dark && reachable && state.diffuserWithSessions !== false && home.diffuser !== false;
  // The line of oil safety is for someone whose diffuser the bridge, online now, has said is there.
  const safety = diffuser && home.reach === 'online' && home.diffuser === true && state.oilSafetyGiven !== true;
  // The lights are out of reach, so their timing no longer matters: say so once per Alexa session.
  const noticeDue = sessionAttrs(h).homeNoticeGiven !== true;
  // Hosted mode, no home paired yet: once, how to connect one (the session is voice only meanwhile).
  // Never before a session that ends in sleep: instructions for a computer are no way into sleep.
  const pairHint = deps.pairing !== null && !state.home && state.pairHintGiven !== true && script.ending === 'awake';
  /** What is said before the session: `missed`, the home did not answer; `withSafety`, the diffuser's oil safety line. */
  const leadFor = ({ missed, withSafety }: { missed: boolean; withSafety: boolean }) =>
    [pairHint ? PAIR_HINT : undefined, revoked ? PAIR_REVOKED : undefined, missed && noticeDue ? LIGHTS_UNREACHABLE : undefined, request.lead, withSafety ? OIL_SAFETY : undefined]
      .filter(Boolean)
      .join(' ') ||
    undefined;
  const missedBefore = home.reach === 'unreachable' || home.reach === 'offline';
  let { entry, part } = fitted(script, minutes, shape, request.fromMs, leadFor({ missed: missedBefore, withSafety: safety }), maxChars);
  if (part === undefined) return null;
  if (!part.final && script.ending === 'sleep') deps.log.error('session.split', { script: script.id, minutes, voiceOnly, maxChars });

  const issuedAt = deps.now();
  const startAt = issuedAt + deps.config.voiceLatencyMs + part.leadMs;
  const bodies: CommandBody[] = [
    {
      type: 'session.start',
      sessionId,
      scriptId: script.id,
      title: script.title.slice(0, 80),
      startAt,
      fromMs: part.fromMs,
      untilMs: part.untilMs,
      final: part.final,
      lights: partLights(entry, part),
      ...(dark ? { room: 'dark' as const } : {}),
    },
  ];
  if (diffuser) bodies.push({ type: 'diffuser.set', on: true, minutes: diffuserMinutesFor(deps, minutes) });
  // A broker that did not answer the look-up will not take the session either: no second wait.
  const outcome: HomeOutcome = home.reach === 'unreachable' ? 'unreachable' : await sendHome(h, deps, bodies);
  const missed = missedBefore || outcome === 'unreachable';
  if (missed && noticeDue) setSessionAttrs(h, { homeNoticeGiven: true });
  // Found out only now (the publish timed out): the notice instead of the diffuser's safety line.
  if (outcome === 'unreachable' && !missedBefore) {
    const again = fitted(script, minutes, shape, request.fromMs, leadFor({ missed: true, withSafety: false }), maxChars);
    if (again.part !== undefined) {
      entry = again.entry;
      part = again.part;
    }
  }
  if (outcome === 'sent' && safety) updatePersisted(h, { oilSafetyGiven: true });
  if (pairHint) updatePersisted(h, { pairHintGiven: true });
  if (introduction === 'full' && request.fromMs <= 0 && !(state.introduced ?? []).includes(script.id)) {
    updatePersisted(h, { introduced: [...(state.introduced ?? []), script.id].slice(-64) });
  }

  const stored: StoredSession = {
    id: sessionId,
    scriptId: script.id,
    minutes,
    status: 'playing',
    partFromMs: part.fromMs,
    partUntilMs: part.untilMs,
    partStartAt: startAt,
    final: part.final,
    updatedAt: issuedAt,
    introduction,
    voiceOnly,
    ...(dark ? { room: 'dark' as const } : {}),
  };
  updatePersisted(h, { session: stored });
  setSessionAttrs(h, { pending: undefined, lastSpeech: undefined });
  deps.log.info('session.part', { script: script.id, minutes, part: part.index, final: part.final, home: outcome, voiceOnly, introduction });

  const builder = h.responseBuilder.speak(part.ssml).withShouldEndSession(part.final);
  if (hasScreen(h)) builder.addDirective(partScreen(entry, part));
  return builder.getResponse();
}

/** The stored session, if it is recent enough to pick up and its script still exists. */
export function currentSession(h: HandlerInput, deps: SkillDeps): { stored: StoredSession; script: Script } | null {
  const stored = persisted(h).session;
  if (!stored || deps.now() - stored.updatedAt > SESSION_MEMORY_MS) return null;
  const script = deps.scripts.find((s) => s.id === stored.scriptId);
  return script ? { stored, script } : null;
}

/** How far into the plan the voice has got, estimated from when the current part started. */
export function offsetNow(stored: StoredSession, now: number): number {
  const elapsed = Math.max(0, now - stored.partStartAt);
  return Math.min(stored.partUntilMs, stored.partFromMs + elapsed);
}
