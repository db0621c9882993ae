/**
 * What the lamps and the session are doing at a given moment, read from the hub's snapshot: a lamp's
 * level part-way through its transition, and one word for the session that matches what a person
 * sees and hears (the voice already speaking before the bridge reports, the lamps still fading after
 * it has finished). Pure: the caller passes the time. The dashboard page (plain browser JavaScript)
 * follows the same rules in `public/app.js`.
 */
import type { HubSnapshot, LampView } from './hub';

/** A lamp's level at `now` (0 = dark, else 1–254), moving linearly through its transition as Hue does. */
export function lampLevel(lamp: LampView, now: number): number {
  const to = lamp.on ? lamp.bri : 0;
  const from = lamp.from ?? to;
  if (lamp.transitionMs <= 0 || now >= lamp.at + lamp.transitionMs) return to;
  const t = Math.max(0, (now - lamp.at) / lamp.transitionMs);
  return Math.round(from + (to - from) * t);
}

/** Whether the lamp is still on its way to its level at `now`. */
export function lampMoving(lamp: LampView, now: number): boolean {
  return lamp.transitionMs > 0 && now < lamp.at + lamp.transitionMs && lamp.from !== undefined && lamp.from !== (lamp.on ? lamp.bri : 0);
}

export type Activity =
  | { kind: 'none' }
  /** The home was sent a session; the voice speaks; the bridge has not reported it running yet. */
  | { kind: 'starting'; title: string; startAt: number; totalMs: number }
  /** The bridge's own report: running, holding between parts, paused, or ending. */
  | { kind: 'session'; status: 'running' | 'holding' | 'paused' | 'ending'; title: string; phase: string | null; elapsedMs: number; totalMs: number }
  /** No session any more, but the lamps are still gliding to their end: dark, or back as they were. */
  | { kind: 'fading'; to: 'off' | 'restore'; until: number };

export function sessionActivity(snap: Pick<HubSnapshot, 'session' | 'starting' | 'lamps'>, now: number): Activity {
  const s = snap.session;
  const status = s?.status ?? 'idle';
  if (snap.starting && (!s || s.sessionId !== snap.starting.sessionId || status === 'idle')) {
    return { kind: 'starting', title: snap.starting.title, startAt: snap.starting.startAt, totalMs: snap.starting.totalMs };
  }
  const moving = snap.lamps.filter((l) => lampMoving(l, now));
  // While ending, a lamp still mid-breath says nothing yet; one told "off" is the fade itself.
  const fadingOff = moving.some((l) => !l.on);
  if (s && status !== 'idle' && !(status === 'ending' && fadingOff)) {
    const advancing = status === 'running' || status === 'ending';
    const elapsedMs = Math.min(s.totalMs, s.offsetMs + (advancing ? Math.max(0, now - s.at) : 0));
    return { kind: 'session', status, title: s.title ?? 'Session', phase: s.phase, elapsedMs, totalMs: s.totalMs };
  }
  // After a session (or as it ends), lamps still in a transition are its fade or its restore.
  if (moving.length > 0 && (status === 'ending' || status === 'idle')) {
    const until = Math.max(...moving.map((l) => l.at + l.transitionMs));
    return { kind: 'fading', to: moving.every((l) => !l.on) ? 'off' : 'restore', until };
  }
  return { kind: 'none' };
}
