/**
 * Messages from the skill to a home, and the state a home publishes back. One schema per message;
 * the types are derived from the schemas so the two sides cannot disagree. zod/mini keeps the Lambda
 * bundle small (the full zod build alone is larger than everything else in it).
 *
 * Every command carries its version, its home, a unique id and when it was issued, so a bridge can
 * drop what is foreign, replayed or stale before it touches a device.
 */
import * as z from 'zod/mini';
import { isReservedHomeId } from './topics';

/**
 * Version 3 adds a dark room to `session.start` (`room: "dark"`); version 2 added each light step's
 * phase. A bridge still obeys versions 2 and 1 (see `earlier-versions.ts`).
 */
export const PROTOCOL_VERSION = 3;
/** Anything larger is dropped unread: a 60-minute session is about 24 KB. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/**
 * The largest whole MQTT packet a home takes (MQTT 5's `maximumPacketSize`): the largest message with
 * room for its topic, packet id and properties, so one a byte over the limit still arrives and is
 * dropped with its reason, while anything much larger is dropped by the broker and never sent.
 */
export const MAX_PACKET_BYTES = MAX_MESSAGE_BYTES + 1024;
/**
 * How long, on MQTT 5, the broker keeps a home's session after a disconnect (there a session otherwise
 * ends with its connection). Commands are stale after two minutes anyway; an hour covers a restart or a
 * reboot and lets the broker forget a home that is gone.
 */
export const HOME_SESSION_EXPIRY_SECONDS = 3600;
/** Commands issued longer ago than this are stale and never acted on. */
export const MAX_MESSAGE_AGE_MS = 120_000;

const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
const epochMs = int(1_500_000_000_000, 9_999_999_999_999);

/** A home's id; the names the topic scheme uses (`pairing`, `cmd`, …) are taken. */
export const HomeId = z.string().check(
  z.regex(/^[A-Za-z0-9_-]{1,64}$/),
  z.refine((id) => !isReservedHomeId(id)),
);
export const MessageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/));
export const SessionId = z.string().check(z.regex(/^[A-Za-z0-9_-]{4,64}$/));
/** Bedtime as a wall-clock time in the home's time zone. */
export const ClockTime = z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/));

/** Hue brightness: 1 is the dimmest lit level, 254 the brightest. */
export const Brightness = int(1, 254);
/** Hue colour temperature in mired; 455 ≈ 2200 K, 500 = 2000 K, the warmest Hue lamps go. */
export const Mired = int(153, 500);

/**
 * What a light step is in the session, as the engine planned it: a breath phase (`inhale`, `hold`,
 * `exhale`), a muscle group tensed on an in-breath (`tense`) or let go on an out-breath (`release`), or
 * the slow dimming over a spoken passage or a rest between breaths (`drift`).
 */
export const StepPhase = z.enum(['inhale', 'hold', 'exhale', 'tense', 'release', 'drift']);
export type StepPhase = z.infer<typeof StepPhase>;

export const StepOffset = int(0, 4 * 3_600_000);
export const TransitionMs = z.number().check(z.int(), z.gte(0), z.lte(6_553_500), z.multipleOf(100));

/**
 * One light command: at `atMs` after the session's start, move to `bri` over `transitionMs`
 * (a multiple of 100 ms, Hue's transition unit); `phase` says what the step is, for whoever shows it.
 * Tuples keep an hour of breathing well under the limit.
 */
export const LightStep = z.tuple([StepOffset, Brightness, TransitionMs, StepPhase]);
export type LightStep = z.infer<typeof LightStep>;

export const EndAction = z.enum(['fade-off', 'restore']);
export type EndAction = z.infer<typeof EndAction>;

export const Choreography = z.strictObject({
  ct: Mired,
  steps: z.array(LightStep).check(z.maxLength(5_000)),
  /** What the lights do when the plan ends, is stopped or the bridge shuts down. */
  end: EndAction,
  /** How long the fade-off (or the return to the saved state) takes. */
  endTransitionMs: z.number().check(z.int(), z.gte(0), z.lte(600_000), z.multipleOf(100)),
  totalMs: int(1, 4 * 3_600_000),
});
export type Choreography = z.infer<typeof Choreography>;

const envelope = {
  v: z.literal(PROTOCOL_VERSION),
  id: MessageId,
  homeId: HomeId,
  issuedAt: epochMs,
};

/**
 * Start (or continue) breathing. The bridge runs the steps with `fromMs <= atMs < untilMs`, the one at
 * offset `atMs` at wall time `startAt + (atMs - fromMs)`. A session spoken over several responses is sent
 * once per response, each with the part of the plan that response speaks.
 */
export const SessionStart = z.strictObject({
  ...envelope,
  type: z.literal('session.start'),
  sessionId: SessionId,
  scriptId: z.string().check(z.minLength(1), z.maxLength(64)),
  title: z.string().check(z.minLength(1), z.maxLength(80)),
  startAt: epochMs,
  fromMs: int(0, 4 * 3_600_000),
  untilMs: int(1, 4 * 3_600_000),
  /** Whether this part is the last: if not, the lights hold softly at its end until the next part. */
  final: z.boolean(),
  lights: Choreography,
  /**
   * "dark": someone woken in the night. The bridge leaves every lamp that is off, off, and never raises
   * a lamp above the brightness it had when the session began (nor switches one on to get there).
   * Light safety is enforced where the light is, whatever the steps say. Absent: the lamps breathe.
   */
  room: z.optional(z.literal('dark')),
});
export type SessionStart = z.infer<typeof SessionStart>;

/** Stop breathing at once. `pause` keeps the session so a later start can continue it. */
export const SessionStop = z.strictObject({
  ...envelope,
  type: z.literal('session.stop'),
  sessionId: z.optional(SessionId),
  reason: z.enum(['stop', 'cancel', 'pause']),
});
export type SessionStop = z.infer<typeof SessionStop>;

/** Switch the diffuser. On always has an off time: `minutes`, capped by the bridge's own maximum. */
export const DiffuserSet = z.strictObject({
  ...envelope,
  type: z.literal('diffuser.set'),
  on: z.boolean(),
  minutes: z.optional(int(1, 240)),
});
export type DiffuserSet = z.infer<typeof DiffuserSet>;

/** Set (or clear, with `time: null`) the daily bedtime at which the diffuser turns on. */
export const BedtimeSet = z.strictObject({
  ...envelope,
  type: z.literal('bedtime.set'),
  time: z.nullable(ClockTime),
  diffuserMinutes: z.optional(int(1, 240)),
});
export type BedtimeSet = z.infer<typeof BedtimeSet>;

export const Command = z.discriminatedUnion('type', [SessionStart, SessionStop, DiffuserSet, BedtimeSet]);
export type Command = z.infer<typeof Command>;
export type CommandType = Command['type'];

/** What a bridge publishes (retained) for dashboards and the local simulator. */
export const SessionState = z.strictObject({
  sessionId: z.nullable(SessionId),
  title: z.nullable(z.string()),
  status: z.enum(['idle', 'running', 'holding', 'paused', 'ending']),
  /** The phase of the step last sent; null before the first, and when the steps carry none (version 1). */
  phase: z.nullable(StepPhase),
  offsetMs: z.number(),
  totalMs: z.number(),
  bri: z.nullable(Brightness),
  at: epochMs,
});
export type SessionState = z.infer<typeof SessionState>;

export const DiffuserState = z.strictObject({
  on: z.boolean(),
  offAt: z.nullable(epochMs),
  reason: z.enum(['voice', 'bedtime', 'auto-off', 'startup', 'shutdown', 'manual']),
  at: epochMs,
});
export type DiffuserState = z.infer<typeof DiffuserState>;

/**
 * The lights as the bridge last set them (retained on the lights state topic): the brightness of the
 * breath step it sent (null once the session ended), whether they are on, and when it was confirmed.
 */
export const LightsState = z.strictObject({
  bri: z.nullable(Brightness),
  on: z.boolean(),
  at: epochMs,
});
export type LightsState = z.infer<typeof LightsState>;

/**
 * What the bridge has to work with, retained on the bridge state topic from its start: whether lamps
 * are configured to breathe and whether a diffuser plug is. The skill reads it to decide whether the
 * voice must keep the pace itself, and never offers a diffuser that is not there.
 */
export const BridgeCapabilities = z.object({
  lights: z.boolean(),
  diffuser: z.boolean(),
  /**
   * Who is sure to switch the diffuser off at its deadline: the plug's own timer (armed with every
   * ON), or only the bridge (a plug with no timer it can count on: a plain MQTT plug, a Zigbee plug
   * whose firmware may ignore `on_time`), so the bridge must keep running while it is on. Each plug
   * kind says which (`timesItself` in devices/plugs/).
   */
  diffuserOffBy: z.optional(z.enum(['plug', 'bridge'])),
  at: epochMs,
});
export type BridgeCapabilities = z.infer<typeof BridgeCapabilities>;

export const BedtimeState = z.strictObject({
  time: z.nullable(ClockTime),
  timeZone: z.string(),
  nextAt: z.nullable(epochMs),
  diffuserMinutes: int(1, 240),
});
export type BedtimeState = z.infer<typeof BedtimeState>;

export type ParseFailure = { ok: false; reason: 'oversized' | 'malformed' | 'version' | 'schema'; detail: string };
export type ParseResult = { ok: true; command: Command } | ParseFailure;

/** Size and JSON checks, the same for every version: the object and its `v`, or why it is dropped. */
export function readPayload(payload: Uint8Array | string): { ok: true; data: object; version: unknown } | ParseFailure {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > MAX_MESSAGE_BYTES) return { ok: false, reason: 'oversized', detail: `${size} bytes > ${MAX_MESSAGE_BYTES}` };
  let data: unknown;
  try {
    data = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: error instanceof Error ? error.message : 'not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'malformed', detail: 'not a JSON object' };
  }
  return { ok: true, data, version: (data as { v?: unknown }).v };
}

/** Checks already-read data against a command schema. */
export function checkCommand<T>(schema: z.ZodMiniType<T>, data: object): { ok: true; command: T } | ParseFailure {
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: 'schema', detail: z.prettifyError(parsed.error).replace(/\n/g, '; ') };
  return { ok: true, command: parsed.data };
}

/**
 * Parse a raw payload into a command of the current version without throwing: a bridge logs the
 * reason and moves on. (A bridge also obeys versions 2 and 1: `parseReceivedCommand` in `earlier-versions.ts`.)
 * Home, duplicate and staleness checks need the bridge's own state and clock, so they live there.
 */
export function parseCommand(payload: Uint8Array | string): ParseResult {
  const read = readPayload(payload);
  if (!read.ok) return read;
  if (read.version !== PROTOCOL_VERSION) {
    return { ok: false, reason: 'version', detail: `v=${JSON.stringify(read.version) ?? 'missing'}, expected ${PROTOCOL_VERSION}` };
  }
  return checkCommand(Command, read.data);
}
