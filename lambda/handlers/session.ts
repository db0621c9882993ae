/**
 * Starting, continuing and restarting sessions: LaunchRequest, StartSessionIntent, AMAZON.ResumeIntent
 * ("continue" and "resume"), AMAZON.StartOverIntent and AMAZON.RepeatIntent.
 */
import { getIntentName, getRequestType, getSlot, type HandlerInput, type RequestHandler } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { Script, Technique } from '../../src/content/schema';
import { TECHNIQUES } from '../../src/content/techniques';
import { chooseScript, diffuserWith } from '../../src/engine/select';
import { parseNumber } from '../../src/spoken/numbers';
import { reply, sessionAttrs, type SkillDeps } from '../context';
import { isNight } from '../night';
import { currentSession, introductionFor, play, type PlayRequest } from '../session-flow';
import * as say from '../speech';
import type { StoredSession } from '../state';

export function isIntent(h: HandlerInput, ...names: string[]): boolean {
  return getRequestType(h.requestEnvelope) === 'IntentRequest' && names.includes(getIntentName(h.requestEnvelope));
}

/** AMAZON.NUMBER arrives as digits; words ("twenty five") are accepted too. Undefined if absent, odd or not 1–240. */
export function parseMinutes(value: string | undefined): number | undefined {
  const n = value === undefined ? undefined : parseNumber(value.toLowerCase());
  return n !== undefined && n > 0 && n <= 240 ? n : undefined;
}

/** The technique the slot resolved to (entity resolution id), or: absent / said but not one we have. */
export function techniqueOf(h: HandlerInput): Technique | 'absent' | 'unknown' {
  const slot = getSlot(h.requestEnvelope, 'technique');
  if (!slot?.value) return 'absent';
  for (const authority of slot.resolutions?.resolutionsPerAuthority ?? []) {
    if (authority.status.code !== 'ER_SUCCESS_MATCH') continue;
    const id = authority.values[0]?.value.id;
    if (id !== undefined && (TECHNIQUES as readonly string[]).includes(id)) return id as Technique;
  }
  return 'unknown';
}

/**
 * The default session, as Launch plays it: paced breathing with the diffuser on. The instructions the
 * first time; after that a short welcome, and the first breath within seconds.
 */
export function defaultPlay(h: HandlerInput, deps: SkillDeps, lead?: string): PlayRequest {
  const { script, minutes } = chooseScript(deps.scripts, undefined, undefined);
  const introduction = introductionFor(h, script);
  const spoken = lead ?? (introduction === 'full' ? say.WELCOME : say.WELCOME_BACK);
  return { script, minutes, fromMs: 0, sessionId: deps.newSessionId(), lead: spoken, diffuser: true, introduction };
}

/**
 * In the middle of the night a plain request to sleep ("Alexa, start wind down", "I can't sleep", "help
 * me sleep", "I woke up") is back to sleep, dark and soft, at the length asked for if it has one; a
 * practice named by name is played as asked (and, like every session at night, dark: see `play`).
 * Every way into a new default session goes through here: Launch, a routine's launch, "start" with no
 * practice named, "yes" to the offer of a session, "start over" with nothing to start over.
 */
export async function atNight(h: HandlerInput, deps: SkillDeps, request: PlayRequest, minutes?: number): Promise<PlayRequest> {
  if (!(await isNight(h, deps))) return request;
  const choice = chooseScript(deps.scripts, 'back-to-sleep', minutes);
  return { ...request, script: choice.script, minutes: choice.minutes, lead: say.NIGHT_WELCOME, diffuser: false, room: 'dark', introduction: introductionFor(h, choice.script) };
}

function fresh(h: HandlerInput, deps: SkillDeps, script: Script, minutes: number, lead: string): PlayRequest {
  return { script, minutes, fromMs: 0, sessionId: deps.newSessionId(), lead, diffuser: diffuserWith(script), introduction: introductionFor(h, script) };
}

/** A session going on keeps the plan it was started with (sessions stored before: the full, light-led one). */
function sameShape(stored: StoredSession): Pick<PlayRequest, 'introduction' | 'voiceOnly' | 'room'> {
  return { introduction: stored.introduction ?? 'full', voiceOnly: stored.voiceOnly ?? false, ...(stored.room ? { room: stored.room } : {}) };
}

async function mustPlay(h: HandlerInput, deps: SkillDeps, request: PlayRequest): Promise<Response> {
  return (await play(h, deps, request)) ?? reply(h, say.SESSION_FINISHED, { reprompt: say.OFFER_SESSION_REPROMPT, pending: 'offer-session' });
}

/** No menu first: the person is lying in the dark. A short welcome, then paced breathing. */
export function launchHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => getRequestType(h.requestEnvelope) === 'LaunchRequest',
    handle: async (h) => mustPlay(h, deps, await atNight(h, deps, defaultPlay(h, deps))),
  };
}

/**
 * "How do I breathe", "explain": the full instructions on request, for the session in progress (or
 * paced breathing), from its beginning.
 */
export function explainHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'ExplainIntent'),
    handle(h) {
      const current = currentSession(h, deps);
      const base = current === null || current.stored.status === 'ended' ? defaultPlay(h, deps) : fresh(h, deps, current.script, current.stored.minutes, '');
      return mustPlay(h, deps, { ...base, lead: say.EXPLAIN_LEAD, introduction: 'full', diffuser: current === null && base.diffuser });
    },
  };
}

export function startSessionHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'StartSessionIntent'),
    async handle(h) {
      const technique = techniqueOf(h);
      if (technique === 'unknown') {
        return reply(h, say.UNKNOWN_TECHNIQUE, { reprompt: say.UNKNOWN_TECHNIQUE_REPROMPT });
      }
      const minutes = parseMinutes(getSlot(h.requestEnvelope, 'minutes')?.value);
      const choice = chooseScript(deps.scripts, technique === 'absent' ? undefined : technique, minutes);
      const request = fresh(h, deps, choice.script, choice.minutes, say.sessionLead(choice.script.title, choice.minutes));
      return mustPlay(h, deps, technique === 'absent' ? await atNight(h, deps, request, minutes) : request);
    },
  };
}

/**
 * "Continue" (a built-in sample of ResumeIntent) at the end of a part goes on to the next part;
 * "resume" after a pause picks up where the pause left it.
 */
export function resumeHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.ResumeIntent'),
    async handle(h) {
      const current = currentSession(h, deps);
      if (current === null || current.stored.status === 'ended') {
        return reply(h, say.NOTHING_TO_RESUME, { reprompt: say.OFFER_SESSION_REPROMPT, pending: 'offer-session' });
      }
      const { stored, script } = current;
      const paused = stored.status === 'paused';
      if (!paused && stored.final) {
        return reply(h, say.SESSION_FINISHED, { reprompt: say.OFFER_SESSION_REPROMPT, pending: 'offer-session' });
      }
      const fromMs = paused ? (stored.pausedAtMs ?? stored.partFromMs) : stored.partUntilMs;
      const request: PlayRequest = { ...sameShape(stored), script, minutes: stored.minutes, fromMs, sessionId: stored.id, diffuser: false };
      if (paused) request.lead = say.RESUME_LEAD;
      return mustPlay(h, deps, request);
    },
  };
}

export function startOverHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.StartOverIntent'),
    async handle(h) {
      const current = currentSession(h, deps);
      if (current === null) return mustPlay(h, deps, await atNight(h, deps, defaultPlay(h, deps, say.START_OVER_LEAD)));
      return mustPlay(h, deps, { ...fresh(h, deps, current.script, current.stored.minutes, say.START_OVER_LEAD), diffuser: false });
    },
  };
}

/** Repeats the last short reply, or the part of the session last spoken (lights included). */
export function repeatHandler(deps: SkillDeps): RequestHandler {
  return {
    canHandle: (h) => isIntent(h, 'AMAZON.RepeatIntent'),
    handle(h) {
      const { lastSpeech, pending } = sessionAttrs(h);
      if (lastSpeech !== undefined) return reply(h, lastSpeech, { reprompt: say.FALLBACK_REPROMPT, ...(pending ? { pending } : {}) });
      const current = currentSession(h, deps);
      if (current === null || current.stored.status === 'ended') return reply(h, say.FALLBACK, { reprompt: say.FALLBACK_REPROMPT });
      const { stored, script } = current;
      return mustPlay(h, deps, { ...sameShape(stored), script, minutes: stored.minutes, fromMs: stored.partFromMs, sessionId: stored.id, diffuser: false });
    },
  };
}
