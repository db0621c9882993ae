/**
 * The gate every incoming message passes before it may touch a device. Its size first, then its
 * signature: only a command signed with this home's key is even parsed. Then the shared schema
 * (JSON, version — the current one or 1 — and shape), then what only this bridge can judge: is
 * it for this home, has its id been seen before, was it issued too long ago (or implausibly far
 * ahead), and is a session's light choreography safe for a dark bedroom. A message that fails is
 * dropped with exactly one warn line and nothing else happens.
 */
import { MAX_MESSAGE_AGE_MS, MAX_MESSAGE_BYTES } from '../../src/protocol/messages';
import { verifySignedBy, type HomeKey } from '../../src/protocol/signing';
import { parseReceivedCommand, type ReceivedCommand } from '../../src/protocol/earlier-versions';
import type { Clock } from '../process/clock';
import { lightSafetyProblem } from './light-safety';
import type { Logger } from '../process/log';
import type { StateStore } from '../state/state-store';

/** A skill's clock may run a little ahead of the bridge's; more than this is not a skew but a fake. */
export const MAX_FUTURE_SKEW_MS = 30_000;
/**
 * Ids are remembered for this long (well past the staleness limit), however many arrive meanwhile:
 * a burst of commands never pushes out an id that could still be replayed.
 */
export const SEEN_RETENTION_MS = 10 * MAX_MESSAGE_AGE_MS;

export type DropReason = 'oversized' | 'signature' | 'malformed' | 'version' | 'schema' | 'other-home' | 'duplicate' | 'stale' | 'future' | 'unsafe';

/** What the inbox reports a drop to; the bridge's event bus is one. */
export interface DropListener {
  emit(event: 'command.dropped', drop: { reason: DropReason; detail: string }): void;
}

export interface InboxOptions {
  homeId: string;
  /** This home's key: a command whose MAC was made with any other key (or none) is dropped. */
  key: HomeKey;
  /**
   * The keys of a home paired by voice, by the key id a command names (undefined: the home's own key).
   * When given, it replaces `key`: a revoked pairing's key is simply no longer found.
   */
  keyFor?: (keyId: string | undefined) => HomeKey | null;
  clock: Clock;
  store: StateStore;
  log: Logger;
  /** Told of every drop (the bridge's event bus: `command.dropped`), besides the warn line. */
  events?: DropListener;
}

export class Inbox {
  constructor(private readonly options: InboxOptions) {}

  /** The command if it may be acted on, else null (after logging why). */
  accept(payload: Uint8Array | string, topic: string): ReceivedCommand | null {
    const { homeId, key, keyFor, clock, store } = this.options;
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
    if (size > MAX_MESSAGE_BYTES) return this.drop('oversized', `${size} bytes > ${MAX_MESSAGE_BYTES}`, topic, undefined);
    const signed = verifySignedBy(keyFor ?? (() => key), typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
    if (!signed.ok) return this.drop('signature', signed.detail, topic, undefined);
    const parsed = parseReceivedCommand(signed.commandText);
    if (!parsed.ok) return this.drop(parsed.reason, parsed.detail, topic, undefined);
    const command = parsed.command;
    if (command.homeId !== homeId) return this.drop('other-home', `homeId ${command.homeId} is not ${homeId}`, topic, command);
    const now = clock.now();
    const age = now - command.issuedAt;
    if (age > MAX_MESSAGE_AGE_MS) return this.drop('stale', `issued ${Math.round(age / 1000)} s ago (limit ${MAX_MESSAGE_AGE_MS / 1000} s)`, topic, command);
    if (-age > MAX_FUTURE_SKEW_MS) return this.drop('future', `issued ${Math.round(-age / 1000)} s in the future`, topic, command);
    if (store.peek().seen.some(([id]) => id === command.id)) return this.drop('duplicate', `id ${command.id} already seen`, topic, command);
    if (command.type === 'session.start') {
      const problem = lightSafetyProblem(command);
      if (problem) return this.drop('unsafe', problem, topic, command);
    }
    // On disk before it is acted on: a bridge that crashes while acting does not act on it again when
    // the broker delivers it once more after the restart.
    store.update((state) => {
      state.seen = state.seen.filter(([, at]) => now - at < SEEN_RETENTION_MS);
      state.seen.push([command.id, now]);
    });
    return command;
  }

  private drop(reason: DropReason, detail: string, topic: string, command: ReceivedCommand | undefined): null {
    this.options.log.warn({ reason, detail, topic, id: command?.id, type: command?.type }, `command dropped (${reason}): ${detail}`);
    this.options.events?.emit('command.dropped', { reason, detail });
    return null;
  }
}
