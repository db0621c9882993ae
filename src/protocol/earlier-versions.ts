/**
 * Protocol versions 2 and 1, which a bridge still obeys. Version 2's commands are the current ones
 * with another `v` (version 3 only added the optional `room` of a session start; a version-2 skill
 * never sends it). Version 1's light steps also carry no phase: `[atMs, bri, transitionMs]`. The
 * lights breathe the same; the phase is unknown (`null` in the session state), never guessed from
 * the levels.
 *
 * Why obey rather than drop: the skill (in the cloud) and the bridge (at home) are updated apart, so
 * a bridge updated first keeps breathing for a skill not yet redeployed, and a session that an
 * older bridge saved in its state file rejoins after the update. Only the skill sends; it always
 * sends the current version, so nothing here is bundled into it.
 */
import * as z from 'zod/mini';
import {
  BedtimeSet,
  Brightness,
  checkCommand,
  Choreography,
  Command,
  DiffuserSet,
  PROTOCOL_VERSION,
  readPayload,
  SessionStart,
  SessionStop,
  StepOffset,
  TransitionMs,
  type ParseFailure,
} from './messages';

export const V1 = 1;
export const V2 = 2;

export const LightStepV1 = z.tuple([StepOffset, Brightness, TransitionMs]);
export type LightStepV1 = z.infer<typeof LightStepV1>;

const v = z.literal(V1);

export const SessionStartV1 = z.extend(SessionStart, {
  v,
  lights: z.extend(Choreography, { steps: z.array(LightStepV1).check(z.maxLength(5_000)) }),
});
export type SessionStartV1 = z.infer<typeof SessionStartV1>;

export const CommandV1 = z.discriminatedUnion('type', [SessionStartV1, z.extend(SessionStop, { v }), z.extend(DiffuserSet, { v }), z.extend(BedtimeSet, { v })]);
export type CommandV1 = z.infer<typeof CommandV1>;

const v2 = z.literal(V2);

export const SessionStartV2 = z.extend(SessionStart, { v: v2 });
export const CommandV2 = z.discriminatedUnion('type', [SessionStartV2, z.extend(SessionStop, { v: v2 }), z.extend(DiffuserSet, { v: v2 }), z.extend(BedtimeSet, { v: v2 })]);
export type CommandV2 = z.infer<typeof CommandV2>;

/** What a bridge acts on: a command of the current version, or of version 2 or 1. */
export type ReceivedCommand = Command | CommandV2 | CommandV1;
/** A session start of any version obeyed: its steps may or may not carry their phase. */
export type ReceivedSessionStart = Extract<ReceivedCommand, { type: 'session.start' }>;
/** Persisted sessions are checked with this (a state file may hold one an older bridge saved). */
export const ReceivedSessionStart = z.union([SessionStart, SessionStartV2, SessionStartV1]);

/** As `parseCommand`, for a bridge: versions 2 and 1 are read too; any other is dropped (`version`). */
export function parseReceivedCommand(payload: Uint8Array | string): { ok: true; command: ReceivedCommand } | ParseFailure {
  const read = readPayload(payload);
  if (!read.ok) return read;
  if (read.version === PROTOCOL_VERSION) return checkCommand<ReceivedCommand>(Command, read.data);
  if (read.version === V2) return checkCommand<ReceivedCommand>(CommandV2, read.data);
  if (read.version === V1) return checkCommand<ReceivedCommand>(CommandV1, read.data);
  return { ok: false, reason: 'version', detail: `v=${JSON.stringify(read.version) ?? 'missing'}, expected ${PROTOCOL_VERSION} (or ${V2} or ${V1})` };
}
