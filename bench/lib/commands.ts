/**
 * Commands as the skill sends them, and a 60-minute session's light choreography from the real engine,
 * so the bridge is measured on what it will really be asked to do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { scriptById } from '../../src/content/scripts';
import { choreograph, compilePlan, renderSsml } from '../../src/engine';
import type { Choreography, Command, DiffuserSet, SessionStart, SessionStop } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { signCommand, type HomeKey } from '../../src/protocol/signing';

/**
 * A bench home's key, derived from its id so that the skill's side and the bridges' process agree
 * without passing 200 keys around; each home still has its own. A real home's key is random.
 */
export function benchKey(homeId: string): HomeKey {
  return createHash('sha256').update(`winddown-bench:${homeId}`).digest();
}

export function benchKeyHex(homeId: string): string {
  return benchKey(homeId).toString('hex');
}

/** A command as the skill publishes it: signed with its home's key. */
export function signedFor(command: Command): string {
  return signCommand(benchKey(command.homeId), command);
}

export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

/** The default breathing session at this length; at 60 minutes about 860 light steps. */
export function breathingSession(minutes = 60): Choreography {
  const script = scriptById('paced-breathing');
  if (!script) throw new Error('paced-breathing script missing');
  return choreograph(compilePlan(script, { minutes }));
}

export function hourOfBreathing(): Choreography {
  return breathingSession(60);
}

/** Where the first response of a session ends: the skill's first session.start covers [0, this). */
export function firstPartUntil(minutes: number): number {
  const script = scriptById('paced-breathing');
  if (!script) throw new Error('paced-breathing script missing');
  const first = renderSsml(compilePlan(script, { minutes }))[0];
  if (!first) throw new Error('no SSML parts');
  return first.untilMs;
}

export interface PartOptions {
  /** Plan offset the part starts at (default 0) and ends before (default: the end of the plan). */
  fromMs?: number;
  untilMs?: number;
  sessionId?: string;
  /** Default: whether the part reaches the end of the plan. */
  final?: boolean;
}

/**
 * A session.start as the skill sends it: the steps of one part `[fromMs, untilMs)`, the part's first
 * offset at `startAt`. A part that ends before the plan does is not final.
 */
export function sessionStart(homeId: string, now: number, startAt: number, full: Choreography, part: PartOptions = {}): SessionStart {
  const fromMs = part.fromMs ?? 0;
  const untilMs = part.untilMs ?? full.totalMs;
  const lights: Choreography = { ...full, steps: full.steps.filter(([atMs]) => atMs >= fromMs && atMs < untilMs) };
  return {
    v: PROTOCOL_VERSION,
    id: newId(),
    homeId,
    issuedAt: now,
    type: 'session.start',
    sessionId: part.sessionId ?? newId().slice(0, 20),
    scriptId: 'paced-breathing',
    title: 'Paced breathing',
    startAt,
    fromMs,
    untilMs,
    final: part.final ?? untilMs >= full.totalMs,
    lights,
  };
}

export function sessionStop(homeId: string, now: number, sessionId?: string): SessionStop {
  const stop: SessionStop = { v: PROTOCOL_VERSION, id: newId(), homeId, issuedAt: now, type: 'session.stop', reason: 'stop' };
  if (sessionId !== undefined) stop.sessionId = sessionId;
  return stop;
}

export function diffuserSet(homeId: string, now: number, on: boolean, minutes?: number): DiffuserSet {
  const set: DiffuserSet = { v: PROTOCOL_VERSION, id: newId(), homeId, issuedAt: now, type: 'diffuser.set', on };
  if (minutes !== undefined) set.minutes = minutes;
  return set;
}

export type { Command };
