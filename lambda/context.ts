/**
 * What every handler is given (one typed object, wired once in skill.ts) and the small helpers they
 * share for state, replies and the home link. Handlers read the request only through ask-sdk's pure
 * helpers and these functions.
 */
import type { HandlerInput } from 'ask-sdk-core';
import type { RequestEnvelope, Response } from 'ask-sdk-model';
import type { Script } from '../src/content/schema';
import { renderSpeech } from '../src/engine/ssml';
import type { FaqMatcher } from '../src/faq/match';
import type { SkillConfig } from './config';
import type { CommandBody, HomeLink, PublishOutcome } from './home-link';
import type { Homes } from './homes';
import type { PairingDesk } from './pairing-desk';
import type { PairingLedger } from './pairing-ledger';
import type { Log } from './log';
import { PAIR_REVOKED_HOME } from './speech';
import type { PersistedState, SessionAttributes } from './state';

export interface SkillDeps {
  config: SkillConfig;
  homes: Homes;
  /** Hosted mode with a broker: where spoken pairing codes are checked, and where tries are counted. Otherwise null. */
  pairing: { desk: PairingDesk; ledger: PairingLedger } | null;
  /** Whether this request's persistent attributes could not be read (they are then not saved either). */
  stateReadFailed: (h: HandlerInput) => boolean;
  log: Log;
  now: () => number;
  newSessionId: () => string;
  scripts: readonly Script[];
  /** Built on first use: most requests never ask a question. */
  faq: () => FaqMatcher;
  /** The asking device's IANA time zone (Alexa Settings API), or null when it cannot be known now. */
  timeZone: (envelope: RequestEnvelope) => Promise<string | null>;
}

interface RequestState {
  persisted: PersistedState;
  dirty: boolean;
}

const STATE_KEY = 'winddownState';

export function initState(h: HandlerInput, persisted: PersistedState): void {
  h.attributesManager.getRequestAttributes()[STATE_KEY] = { persisted, dirty: false } satisfies RequestState;
}

function requestState(h: HandlerInput): RequestState {
  const state = h.attributesManager.getRequestAttributes()[STATE_KEY] as RequestState | undefined;
  if (state === undefined) throw new Error('persistent state was not loaded for this request');
  return state;
}

export function persisted(h: HandlerInput): Readonly<PersistedState> {
  return requestState(h).persisted;
}

export function updatePersisted(h: HandlerInput, patch: Partial<PersistedState>): void {
  const state = requestState(h);
  state.persisted = { ...state.persisted, ...patch };
  state.dirty = true;
}

export function takeDirty(h: HandlerInput): PersistedState | null {
  const state = h.attributesManager.getRequestAttributes()[STATE_KEY] as RequestState | undefined;
  return state?.dirty ? state.persisted : null;
}

/** The home this request reaches: the one home (personal mode), or this user's paired one (hosted). */
export function homeOf(h: HandlerInput, deps: SkillDeps): HomeLink {
  return deps.homes.forUser(persisted(h).home);
}

/** The request's locale as the locale interceptor settled it (a supported one, else en-US). */
export function localeOf(h: HandlerInput): string {
  return (h.attributesManager.getRequestAttributes().locale as string | undefined) ?? 'en-US';
}

export function sessionAttrs(h: HandlerInput): SessionAttributes {
  return h.attributesManager.getSessionAttributes<SessionAttributes>();
}

export function setSessionAttrs(h: HandlerInput, patch: Partial<SessionAttributes>): void {
  const next: Record<string, unknown> = { ...sessionAttrs(h), ...patch };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  h.attributesManager.setSessionAttributes(next);
}

export interface ReplyOptions {
  /** Keep the microphone open for an answer, with this reprompt. */
  reprompt?: string;
  /** What a "yes" to this reply means. */
  pending?: SessionAttributes['pending'];
}

/**
 * A short spoken reply. Without a reprompt the session ends: nothing is left listening in a dark
 * bedroom unless the reply asked a question.
 */
export function reply(h: HandlerInput, text: string, options: ReplyOptions = {}): Response {
  const ssml = renderSpeech(text);
  // A touch on the screen can arrive after the Alexa session ended: nothing to remember then.
  if (h.requestEnvelope.session !== undefined) setSessionAttrs(h, { pending: options.pending, lastSpeech: text });
  const builder = h.responseBuilder.speak(ssml);
  if (options.reprompt !== undefined) builder.reprompt(renderSpeech(options.reprompt)).withShouldEndSession(false);
  else builder.withShouldEndSession(true);
  return builder.getResponse();
}

/** What sending home came to: `revoked`, the home has revoked this pairing, so nothing was sent. */
export type HomeOutcome = PublishOutcome | 'revoked';

/** The home has revoked this pairing (`winddown unpair`): it is forgotten, and the person told how to pair again. */
export function forgetRevokedHome(h: HandlerInput, deps: SkillDeps): void {
  updatePersisted(h, { home: null, pairHintGiven: true });
  deps.log.info('pairing.revoked');
}

/**
 * Hosted mode: what the paired home's retained state says before anything is sent to it, the same
 * knowledge a session start has. A revoked pairing is forgotten here, whatever the request.
 */
async function pairedHomeReach(h: HandlerInput, deps: SkillDeps): Promise<'revoked' | 'unreachable' | null> {
  if (deps.pairing === null || !persisted(h).home) return null;
  const view = await homeOf(h, deps).view();
  if (view.revoked === true) {
    forgetRevokedHome(h, deps);
    return 'revoked';
  }
  // A broker that did not answer the look-up will not take the commands either: no second wait.
  return view.reach === 'unreachable' ? 'unreachable' : null;
}

/** A reply to a request that went home: first, if the home has revoked this pairing, how to pair again. */
export function toldIfRevoked(outcome: HomeOutcome, text: string): string {
  return outcome === 'revoked' ? `${PAIR_REVOKED_HOME} ${text}` : text;
}

/**
 * Sends commands to the home. A bedtime saved while the home was unreachable rides along with the next
 * message, so it arrives without anyone having to say it again.
 */
export async function sendHome(h: HandlerInput, deps: SkillDeps, bodies: readonly CommandBody[]): Promise<HomeOutcome> {
  const known = await pairedHomeReach(h, deps);
  if (known !== null) return known;
  const state = persisted(h);
  const all = [...bodies];
  const carriesBedtime = state.bedtimeUnsent === true && !bodies.some((b) => b.type === 'bedtime.set');
  // The bridge's bedtime only switches the diffuser on: someone who wants none sends none.
  const time = state.diffuserWithSessions === false ? null : (state.bedtime ?? null);
  if (carriesBedtime) all.push({ type: 'bedtime.set', time, diffuserMinutes: deps.config.diffuserMinutes });
  const outcome = await homeOf(h, deps).send(all, deps.now());
  if (outcome === 'sent' && (carriesBedtime || bodies.some((b) => b.type === 'bedtime.set')) && state.bedtimeUnsent) {
    updatePersisted(h, { bedtimeUnsent: false });
  }
  return outcome;
}
