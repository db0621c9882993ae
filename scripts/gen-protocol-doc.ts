/**
 * docs/protocol.md, generated from the protocol's own code: the topics (src/protocol/topics.ts), the
 * zod/mini schemas of every command and state message as JSON Schema (zod 4's `toJSONSchema`), the
 * limits the bridge enforces, and an example of each message that is checked against its schema here,
 * so a wrong example fails the generator rather than misleading a reader.
 *
 * `node scripts/gen-protocol-doc.mjs` writes the file; `--check` fails when it is out of date, and
 * test/protocol/protocol-doc.test.ts does the same in the suite.
 */
import * as z from 'zod/mini';
import { MAX_FUTURE_SKEW_MS } from '../devices/inbox/inbox';
import {
  BedtimeSet,
  BedtimeState,
  DiffuserSet,
  DiffuserState,
  HOME_SESSION_EXPIRY_SECONDS,
  MAX_MESSAGE_AGE_MS,
  MAX_MESSAGE_BYTES,
  MAX_PACKET_BYTES,
  parseCommand,
  PROTOCOL_VERSION,
  SessionStart,
  SessionState,
  SessionStop,
  StepPhase,
} from '../src/protocol/messages';
import { createHash } from 'node:crypto';
import { PAIR_MAX_FAILURES, PAIR_WINDOW_MS, SKILL_MAX_FAILURES_PER_MINUTE } from '../lambda/pairing-ledger';
import {
  CODE_DIGITS,
  codeTagNow,
  codeWindow,
  confirmTopic,
  ephemeralFromBytes,
  offerFilter,
  offerTopic,
  openPairing,
  PAIRING_CODE_TTL_MS,
  PAIRING_ROOT,
  PAIRING_VERSION,
  PairingConfirm,
  PairingOffer,
  sealPairing,
  spokenCode,
} from '../src/protocol/pairing';
import { commandMac, parseHomeKey, signText, TEST_VECTOR, verifySigned } from '../src/protocol/signing';
import { homeTopics, TOPIC_ROOT, type HomeTopics } from '../src/protocol/topics';
import { parseReceivedCommand, V1, V2 } from '../src/protocol/earlier-versions';

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  multipleOf?: number;
  anyOf?: JsonSchema[];
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** 2026-01-01 22:00:00 UTC: examples use fixed times so the document only changes with the protocol. */
const T = 1_767_304_800_000;
const HOME = 'my-home';

const topics = homeTopics(HOME);

interface TopicInfo {
  direction: string;
  qos: number;
  retained: boolean;
  payload: string;
}

/** Every topic of `HomeTopics`: a new one fails the type check here until it is documented. */
const TOPICS: Record<keyof HomeTopics, TopicInfo> = {
  command: { direction: 'skill → home', qos: 1, retained: false, payload: 'a command (JSON): `session.start`, `session.stop`, `diffuser.set` or `bedtime.set`' },
  availability: { direction: 'home → anyone', qos: 1, retained: true, payload: '`online` or `offline` (plain text); `offline` is also the bridge\'s last will' },
  sessionState: { direction: 'home → anyone', qos: 1, retained: true, payload: 'session state (JSON)' },
  diffuserState: { direction: 'home → anyone', qos: 1, retained: true, payload: 'diffuser state (JSON)' },
  bedtimeState: { direction: 'home → anyone', qos: 1, retained: true, payload: 'bedtime state (JSON)' },
  lightsState: { direction: 'home → anyone', qos: 1, retained: true, payload: 'live lamp level for dashboards (JSON, informal: `{"bri": 1–254 or null, "on": boolean, "at": epoch ms}`)' },
  pairingsState: { direction: 'home → skill', qos: 1, retained: true, payload: 'the pairings this home has revoked (JSON: `{"revoked": [pairing ids]}`); the skill tells a revoked pairing\'s user how to pair again' },
  bridgeState: { direction: 'home → skill', qos: 1, retained: true, payload: 'what the bridge has to work with (JSON: `{"lights": boolean, "diffuser": boolean, "diffuserOffBy"?: "plug" | "bridge", "at": epoch ms}`); the skill reads it to shape the voice, and `diffuserOffBy: "bridge"` warns that only the bridge is sure to switch the plug off (its kind has no timer the bridge counts on: devices/README.md, Plugs)' },
};

interface MessageDoc {
  name: string;
  schema: z.ZodMiniType;
  about: string[];
  example: unknown;
}

const envelope = (id: string, issuedAt = T) => ({ v: PROTOCOL_VERSION, id, homeId: HOME, issuedAt });

const COMMANDS: MessageDoc[] = [
  {
    name: 'session.start',
    schema: SessionStart,
    about: [
      'Start (or continue) a wind-down session: the lights breathe along with the voice. A session spoken over several',
      'Alexa responses is sent once per response, each message with the part of the plan that response speaks',
      '(`fromMs` to `untilMs`, offsets in the session\'s plan) and the same `sessionId`.',
      '',
      '- `lights.steps` are `[atMs, bri, transitionMs, phase]`: at plan offset `atMs`, move to Hue brightness `bri`',
      '  over `transitionMs` (a multiple of 100 ms, Hue\'s transition unit). Run the steps with `fromMs <= atMs < untilMs`,',
      '  the one at `atMs` at wall-clock time `startAt + (atMs - fromMs)`. Schedule against those absolute times, not',
      '  by chaining timers, so nothing drifts and a restart can rejoin at the right step.',
      '- `phase` says what the step is, as the session\'s plan has it, for whoever shows it (the lights only need',
      '  `bri` and `transitionMs`): `inhale`, `hold`, `exhale` (a breath phase); `tense` (a muscle group tensed on an',
      '  in-breath: brighter, like `inhale`), `release` (let go on an out-breath: dimmer, like `exhale`); `drift` (the',
      '  slow dimming over a spoken passage or a rest between breaths).',
      '- `startAt` is when the skill expects the voice to reach `fromMs`: the time it sent the response plus its',
      '  estimate of Alexa\'s latency and of any welcome spoken first.',
      '- `lights.ct` is the colour temperature in mired for the whole session (455 ≈ 2200 K).',
      '- `final: false`: more parts follow; hold the lights softly after the last step until the next part, a stop,',
      '  or a timeout of the home\'s choosing (then end as below). `final: true`: after `totalMs`, do `lights.end`',
      '  over `endTransitionMs`: `fade-off` (the session ends in sleep) or `restore` (put the lights back as they',
      '  were before the session).',
      '- A `session.start` with a new `sessionId` replaces whatever session was running.',
      '- The room answers at once: when a new session starts and its first step is more than a second off (the',
      '  instructions are still being read), the home glides the lamps that are on to the first step\'s `bri` in',
      '  `lights.ct` straight away, gently (at least 1.5 s, at most 60 brightness units a second), without `on`;',
      '  lamps that are off wait for the first step. Stopped before that step, the lamps go back as they were.',
      '- `room: "dark"` (someone woken in the night): the home reads the lamps first and keeps the room dark',
      '  whatever the steps say: it addresses only the lamps that were on, never sends `on`, and never raises a',
      '  lamp above the dimmest brightness any of them had. A room whose lamps are all off hears nothing. The',
      '  skill sends no `diffuser.set` with it. A home older than version 3 drops the message (`version`).',
    ],
    example: {
      ...envelope('3f2b9c0d4e5f4a6b8c7d9e0f1a2b3c4d'),
      type: 'session.start',
      sessionId: 'a1b2c3d4e5f6a7b8c9d0',
      scriptId: 'paced-breathing',
      title: 'Paced breathing',
      startAt: T + 4_800,
      fromMs: 0,
      untilMs: 600_000,
      final: true,
      lights: {
        ct: 455,
        steps: [
          [0, 60, 3000, 'drift'],
          [3000, 110, 2400, 'inhale'],
          [5400, 50, 3600, 'exhale'],
          [9000, 112, 2500, 'inhale'],
          [11500, 49, 3700, 'exhale'],
        ],
        end: 'fade-off',
        endTransitionMs: 60_000,
        totalMs: 600_000,
      },
    },
  },
  {
    name: 'session.stop',
    schema: SessionStop,
    about: [
      'Stop the breathing at once ("stop", "cancel", "pause"). With a `sessionId`, only that session is stopped; a',
      'stop for a session that is no longer running is ignored. `pause` keeps the session so that a later',
      '`session.start` with the same `sessionId` continues it; the others end it, and the lights do the session\'s',
      '`end` action.',
    ],
    example: { ...envelope('7c1e2d3f4a5b4c6d8e9f0a1b2c3d4e5f', T + 240_000), type: 'session.stop', sessionId: 'a1b2c3d4e5f6a7b8c9d0', reason: 'pause' },
  },
  {
    name: 'diffuser.set',
    schema: DiffuserSet,
    about: [
      'Switch the aroma diffuser. On always comes with an off time: `minutes`, capped by the home\'s own maximum',
      '(the reference bridge: `WINDDOWN_DIFFUSER_MAX_MINUTES`, 60 by default), and the home must switch it off',
      'then even if nothing else arrives. A launch of the skill sends one with `session.start`.',
    ],
    example: { ...envelope('0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d'), type: 'diffuser.set', on: true, minutes: 30 },
  },
  {
    name: 'bedtime.set',
    schema: BedtimeSet,
    about: [
      'Set the daily bedtime, a wall-clock time in the home\'s own time zone (`HH:MM`, 24-hour), at which the',
      'diffuser turns on for `diffuserMinutes`; `time: null` clears it. Daylight-saving changes are the home\'s to',
      'handle.',
    ],
    example: { ...envelope('5d4c3b2a1f0e4d9c8b7a6f5e4d3c2b1a'), type: 'bedtime.set', time: '22:30', diffuserMinutes: 30 },
  },
];

const STATES: (MessageDoc & { topic: keyof HomeTopics })[] = [
  {
    name: 'session state',
    topic: 'sessionState',
    schema: SessionState,
    about: [
      'What the lights are doing: the running session, its offset, the current brightness, and `phase`: the phase of',
      'the step last sent, as the `session.start` said it; `null` before the first step, and for a version-1 session,',
      'whose steps carry none (unknown: the bridge never guesses it from the levels).',
    ],
    example: { sessionId: 'a1b2c3d4e5f6a7b8c9d0', title: 'Paced breathing', status: 'running', phase: 'exhale', offsetMs: 5400, totalMs: 600_000, bri: 50, at: T + 10_200 },
  },
  {
    name: 'diffuser state',
    topic: 'diffuserState',
    schema: DiffuserState,
    about: ['Whether the diffuser is on, when it will switch itself off, and why it last changed.'],
    example: { on: true, offAt: T + 30 * 60_000, reason: 'voice', at: T + 300 },
  },
  {
    name: 'bedtime state',
    topic: 'bedtimeState',
    schema: BedtimeState,
    about: ['The bedtime the home holds, its time zone, and the next time the diffuser will turn on.'],
    example: { time: '22:30', timeZone: 'Europe/London', nextAt: T + 30 * 60_000, diffuserMinutes: 30 },
  },
];

/** Indented JSON with arrays of plain values (the light steps, enums) kept on one line. */
function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`);
}

function jsonSchema(schema: z.ZodMiniType): JsonSchema {
  return z.toJSONSchema(schema) as JsonSchema;
}

/** One line saying what a JSON Schema allows, for the field tables. */
function describe(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(describe).join(', or ');
  if (Array.isArray(s.type)) return s.type.join(' or ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return `one of ${s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  const limits: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) limits.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) limits.push(`≥ ${s.minimum}`);
  else if (s.maximum !== undefined) limits.push(`≤ ${s.maximum}`);
  if (s.multipleOf !== undefined) limits.push(`multiple of ${s.multipleOf}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) limits.push(`${s.minLength ?? 0}–${s.maxLength ?? '∞'} characters`);
  if (s.pattern !== undefined) limits.push(`matching \`${s.pattern}\``);
  switch (s.type ?? 'any') {
    case 'array':
      if (s.prefixItems) return `\`[${s.prefixItems.map((p) => String(p.type)).join(', ')}]\``;
      return `array (${s.minItems ?? 0}–${s.maxItems ?? '∞'} items)`;
    case 'object':
      return 'object (below)';
    case 'null':
      return '`null`';
    default:
      return [s.type ?? 'any', ...limits].join(', ');
  }
}

function fieldTable(schema: JsonSchema, prefix = ''): string[] {
  const rows: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    rows.push(`| \`${prefix}${name}\` | ${describe(field).replace(/\|/g, '\\|')} | ${required.has(name) ? 'yes' : 'no'} |`);
    if (field.type === 'object') rows.push(...fieldTable(field, `${prefix}${name}.`));
    if (field.type === 'array' && field.items && field.items.prefixItems) {
      field.items.prefixItems.forEach((item, i) => rows.push(`| \`${prefix}${name}[n][${i}]\` | ${describe(item).replace(/\|/g, '\\|')} | yes |`));
    }
  }
  return rows;
}

function section(doc: MessageDoc, heading: string, topic: string): string[] {
  const checked = doc.schema['~standard'].validate(doc.example);
  if (checked instanceof Promise || checked.issues) {
    throw new Error(`the example of ${doc.name} does not match its schema: ${JSON.stringify(checked instanceof Promise ? 'async' : checked.issues)}`);
  }
  const schema = jsonSchema(doc.schema);
  return [
    `${heading} ${doc.name.includes('.') ? `\`${doc.name}\`` : doc.name}`,
    '',
    `Topic \`${topic}\`.`,
    '',
    ...doc.about,
    '',
    '| field | allowed | required |',
    '| --- | --- | --- |',
    ...fieldTable(schema),
    '',
    'Example:',
    '',
    '```json',
    pretty(doc.example),
    '```',
    '',
    '<details><summary>JSON Schema</summary>',
    '',
    '```json',
    pretty(schema),
    '```',
    '',
    '</details>',
    '',
  ];
}

export function renderProtocolDoc(): string {
  for (const command of COMMANDS) {
    const parsed = parseCommand(JSON.stringify(command.example));
    if (!parsed.ok) throw new Error(`the example of ${command.name} is dropped by parseCommand: ${parsed.reason}: ${parsed.detail}`);
  }
  // What the Versions section promises: the example, as version 1 sent it, is obeyed.
  const start = COMMANDS[0]?.example as { lights: { steps: unknown[][] } };
  const v1 = { ...start, v: V1, lights: { ...start.lights, steps: start.lights.steps.map((step) => step.slice(0, 3)) } };
  const received = parseReceivedCommand(JSON.stringify(v1));
  if (!received.ok) throw new Error(`a version ${V1} session.start is dropped: ${received.reason}: ${received.detail}`);
  const pattern = homeTopics('<homeId>');
  const kb = MAX_MESSAGE_BYTES / 1024;
  const lines = [
    '<!-- Generated by scripts/gen-protocol-doc.ts from src/protocol/: edit those, then run `node scripts/gen-protocol-doc.mjs`. -->',
    '',
    '# The Wind Down MQTT protocol',
    '',
    'Everything the Alexa skill and a home exchange, for anyone who wants to build their own home side (or',
    'their own skill). The skill never reaches the home directly: it publishes one MQTT message per action to',
    'a broker both can reach (AWS IoT Core, Mosquitto, …), and the home — the `winddown bridge` in this',
    'repository, or yours — carries it out on its own clock and publishes its state back.',
    '',
    `Protocol version: **${PROTOCOL_VERSION}** (a home still obeys ${V2} and ${V1}: see [Versions](#versions)). The schemas live in`,
    '`src/protocol/messages.ts` (zod; version 1 in `src/protocol/v1.ts`); the JSON Schemas below are generated from them.',
    '',
    '## Connecting',
    '',
    '- Any MQTT 3.1.1 broker, over `mqtt://`, `mqtts://` (TLS, e.g. AWS IoT Core with a client certificate),',
    '  `ws://` or `wss://`.',
    '- The skill connects with a clean session and a random client id, publishes every command with **QoS 1**,',
    '  and waits for the PUBACKs at most 1.5 s (`WINDDOWN_PUBLISH_TIMEOUT_MS`); after that it tells the user the',
    '  lights could not be reached and drops the connection, so a late command is not delivered minutes later.',
    '- A home should subscribe to its command topic with QoS 1, under a **fixed client id with a persistent',
    '  session** (`clean: false`): commands published while it was offline then arrive when it reconnects —',
    '  which is why the staleness rule below matters.',
    `- The home bridge connects with MQTT 5 where the broker speaks it and asks for packets of at most ${MAX_PACKET_BYTES} bytes`,
    '  (`maximumPacketSize`: the largest message plus room for its topic), so the broker drops anything larger',
    `  for it instead of sending it. Its session is kept ${HOME_SESSION_EXPIRY_SECONDS / 3600} hour after a disconnect (\`sessionExpiryInterval\`).`,
    '  A broker that speaks only 3.1.1 (the embedded Aedes) refuses MQTT 5; the bridge then says so once and uses',
    '  3.1.1, cutting an oversized message short as it arrives, before it is held in memory.',
    '- Payloads are UTF-8 JSON objects, except availability, which is plain text.',
    '- `winddown pair` connects with MQTT 5 where the broker speaks it (Mosquitto, AWS IoT Core), so that its offer',
    '  carries a message expiry, and with 3.1.1 where it does not (Aedes 1.2, the broker `winddown start` embeds).',
    '',
    '## Topics',
    '',
    `Each home has its own subtree, \`${TOPIC_ROOT}/<homeId>/…\`; \`homeId\` is 1–64 letters, digits, \`_\` or \`-\`.`,
    'Everything a home publishes is retained, so a dashboard that connects late still sees the current state.',
    '',
    '| topic | direction | QoS | retained | payload |',
    '| --- | --- | --- | --- | --- |',
    ...(Object.keys(TOPICS) as (keyof HomeTopics)[]).map((key) => {
      const t = TOPICS[key];
      return `| \`${pattern[key]}\` | ${t.direction} | ${t.qos} | ${t.retained ? 'yes' : 'no'} | ${t.payload} |`;
    }),
    '',
    '## Every command',
    '',
    'Each command carries an envelope that lets a home drop what is foreign, replayed or stale before it',
    'touches a device:',
    '',
    '| field | meaning |',
    '| --- | --- |',
    `| \`v\` | the protocol version, \`${PROTOCOL_VERSION}\` |`,
    '| `id` | unique per message (8–64 letters, digits, `_`, `-`; the skill sends 32 hex digits) |',
    '| `homeId` | the home it is for |',
    '| `issuedAt` | when the skill issued it, milliseconds since the Unix epoch |',
    '| `type` | which command: `session.start`, `session.stop`, `diffuser.set` or `bedtime.set` |',
    '',
    'Unknown fields are an error (the objects are strict), so a message is either fully understood or dropped.',
    '',
    ...signingSection(),
    ...pairingSection(),
    '## When a home drops a message',
    '',
    'The bridge checks every message in this order and drops the first that fails, with one log line naming the',
    'reason and no device action. A home of your own should do the same:',
    '',
    '| reason | rule |',
    '| --- | --- |',
    `| \`oversized\` | the payload is larger than ${kb} KB (${MAX_MESSAGE_BYTES} bytes); it is not parsed at all. A 60-minute session is about 24 KB. |`,
    '| `signature` | the payload is not a signed command (`{"cmd": …, "mac": …}`), or its `mac` is not the HMAC-SHA256 of `cmd` with this home\'s key, or with the key of the pairing its `kid` names (a revoked pairing\'s included; see [Signed commands](#signed-commands)); `cmd` is not parsed at all |',
    '| `malformed` | the command text (`cmd`) is not JSON, or not a JSON object |',
    `| \`version\` | \`v\` is missing, or not \`${PROTOCOL_VERSION}\`, \`${V2}\` or \`${V1}\` (see [Versions](#versions)) |`,
    '| `schema` | the message does not match its schema below (wrong type, missing or unknown field, out of range) |',
    '| `other-home` | `homeId` is not this home\'s |',
    `| \`stale\` | issued more than ${MAX_MESSAGE_AGE_MS / 1000} s ago (\`now - issuedAt > ${MAX_MESSAGE_AGE_MS}\`) |`,
    `| \`future\` | issued more than ${MAX_FUTURE_SKEW_MS / 1000} s in the future: more than clock skew |`,
    '| `duplicate` | a message with this `id` was already accepted (the bridge remembers ids well past the staleness limit, across restarts) |',
    '| `unsafe` | a `session.start` whose lights could flash or jump: steps under 1 s apart, a transition under 1 s, more than 60 brightness units a second, steps out of time order, `fromMs`/`untilMs`/`totalMs` out of order, or `startAt` more than 5 min after `issuedAt` |',
    '',
    '## Versions',
    '',
    `The skill sends version ${PROTOCOL_VERSION}. Version ${PROTOCOL_VERSION} added \`room: "dark"\` to \`session.start\` (a session for`,
    `someone woken in the night); everything else is as in version ${V2}. Version ${V2} added the fourth element of`,
    `every light step, its \`phase\` (one of ${StepPhase.options.map((p) => `\`${p}\``).join(', ')}); everything else is as in version ${V1}.`,
    '',
    `A version-${PROTOCOL_VERSION} home **still obeys versions ${V2} and ${V1}**. Version ${V2} commands are read as they are (they never`,
    `carry \`room\`). Version ${V1} light steps are \`[atMs, bri, transitionMs]\`: the lights`,
    'breathe exactly as the steps say, and the session state shows `phase: null` (unknown) for that session. The',
    'reference bridge never guesses a phase from the levels. Why obey rather than drop: the skill (in the cloud)',
    'and the home (on a machine in the house) are updated separately, so a home updated first keeps breathing',
    'for a skill not yet redeployed, and a session that an older bridge saved before its update rejoins after',
    `it. The other way round does not work: an older home drops version-${PROTOCOL_VERSION} commands (\`version\`), so update`,
    'the home first. Any other version is dropped.',
    '',
    '## Commands (skill → home)',
    '',
    ...COMMANDS.flatMap((c) => section(c, '###', topics.command.replace(HOME, '<homeId>'))),
    '## State (home → anyone)',
    '',
    'Published by the bridge, retained, QoS 1, whenever the value changes and again on every reconnect. The',
    'skill does not read them; dashboards and home automation may.',
    '',
    ...STATES.flatMap((s) => section(s, '###', pattern[s.topic])),
  ];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** How to sign and check a command, with a worked example that this generator checks before printing it. */
function signingSection(): string[] {
  const key = parseHomeKey(TEST_VECTOR.keyHex);
  if (key === null || commandMac(key, TEST_VECTOR.commandText) !== TEST_VECTOR.mac) throw new Error('the signing test vector does not hold');
  const payload = signText(key, TEST_VECTOR.commandText);
  const checked = verifySigned(key, payload);
  if (!checked.ok || checked.commandText !== TEST_VECTOR.commandText) throw new Error('the signed example does not verify');
  return [
    '## Signed commands',
    '',
    'A home obeys only commands signed with its own **home key**: 32 random bytes, written as 64 hex digits',
    '(`WINDDOWN_HOME_KEY`, or the key `winddown pair` stores). Anyone who can publish on a home\'s topic but lacks',
    'its key cannot make a lamp or the plug do anything, and a command copied to another home\'s topic fails',
    'there, because that home has another key. The key never travels with a command.',
    '',
    'To **sign**, write the command as JSON text (any formatting; the skill uses `JSON.stringify`), compute',
    'HMAC-SHA256 over that text\'s exact UTF-8 bytes with the 32-byte key, and publish this JSON object instead',
    'of the command:',
    '',
    '```json',
    '{"cmd":"<the command\'s JSON text, as a JSON string>","mac":"<the HMAC in 64 lowercase hex digits>"}',
    '```',
    '',
    'To **verify**, before anything else in the command is looked at: parse the payload as JSON; it must be an',
    'object whose `cmd` is a string and whose `mac` is 64 lowercase hex digits; compute HMAC-SHA256 over the',
    'UTF-8 bytes of `cmd` (exactly as received, never re-serialised) with your key and compare it with `mac` in',
    'constant time. Only if they are equal, parse `cmd` as the command and apply the rules below. Anything else',
    'is dropped as `signature`.',
    '',
    'A home paired by voice holds one key per pairing (see [Pairing](#pairing-hosted-mode)); the skill then adds',
    '`"kid": "<pairing id, 12 lowercase hex digits>"` to the object, and the home verifies with that pairing\'s key',
    'alone. A `kid` the home does not hold (never paired, or revoked by `winddown unpair`) is dropped as `signature`;',
    'without `kid`, the home\'s own key is used, as before.',
    '',
    'A home\'s key is 32 bytes made at random (`npx winddown key`, `openssl rand -hex 32`). The skill and the bridge',
    'refuse, by the setting\'s name and without repeating it, a key that is published (the test vector below), one',
    'byte repeated (all zeros), a short pattern repeated, a counting run, of fewer than 16 different byte values, or',
    'text written out as hex (`homeKeyWeakness` in src/protocol/signing.ts).',
    '',
    'Test vector (check your implementation against it; being published, its key is refused as a home\'s key):',
    '',
    '| | |',
    '| --- | --- |',
    `| key (hex) | \`${TEST_VECTOR.keyHex}\` |`,
    `| command text | \`${TEST_VECTOR.commandText}\` |`,
    `| HMAC-SHA256 (hex) | \`${TEST_VECTOR.mac}\` |`,
    '',
    'With openssl: `printf \'%s\' \'<command text>\' | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key hex>`.',
    'The payload published for it:',
    '',
    '```json',
    payload,
    '```',
    '',
  ];
}

/** How a home offers itself to the skill under a spoken code (hosted mode), with a worked example checked here. */
function pairingSection(): string[] {
  const seed = (what: string): Buffer => createHash('sha256').update(`winddown worked example: ${what}`).digest();
  const code = '482915307';
  const window = codeWindow(T);
  const tag = codeTagNow(code, window);
  const home = ephemeralFromBytes(seed('home ephemeral'));
  const skill = ephemeralFromBytes(seed('skill ephemeral'));
  const offer: PairingOffer = { v: PAIRING_VERSION, homeId: HOME, pub: home.pub, expiresAt: T + PAIRING_CODE_TTL_MS, nonce: seed('nonce').subarray(0, 16).toString('hex') };
  const content = { key: seed('pairing key').toString('hex'), account: '5e1f2a9c' };
  const pairingId = seed('pairing id').subarray(0, 6).toString('hex');
  const confirm = sealPairing(offer, { tag, code, pairingId }, content, { ephemeral: skill, iv: seed('iv').subarray(0, 12) });
  if (!PairingOffer.safeParse(offer).success || !PairingConfirm.safeParse(confirm).success) throw new Error('the pairing examples do not match their schemas');
  const opened = openPairing(confirm, { homeId: HOME, tag, code, nonce: offer.nonce, privateKey: home.privateKey });
  if (opened?.key !== content.key) throw new Error('the pairing example does not open at the home');
  if (openPairing(confirm, { homeId: HOME, tag, code: '482915308', nonce: offer.nonce, privateKey: home.privateKey }) !== null) throw new Error('the pairing example opens without its code');
  const minutes = PAIRING_CODE_TTL_MS / 60_000;
  return [
    '## Pairing (hosted mode)',
    '',
    `A skill without a home of its own (hosted mode) links each Alexa user to a home by a ${CODE_DIGITS}-digit code, said in`,
    'groups of three. No key ever crosses the broker in clear: the home offers an ephemeral X25519 public key, and',
    'the skill sends a key made for this pairing only, sealed to it. Everything below uses `node:crypto` primitives.',
    '',
    `1. **Offer.** The home makes a code (${10 ** (CODE_DIGITS - 1)}–${10 ** CODE_DIGITS - 1}: the first digit is never 0, which a spoken number`,
    '   could lose) and a fresh X25519 key pair, kept in memory only. It computes the code\'s **tag**: scrypt',
    `   (N = 2¹⁴, r = 8, p = 1, 16 bytes, lowercase hex) of the code's ASCII digits, salted with \`${PAIRING_ROOT}/v${PAIRING_VERSION}/<window>\`, where`,
    `   \`window\` is the Unix time in ms divided by ${PAIRING_CODE_TTL_MS} (${minutes} minutes), rounded down. It publishes the offer, **retained**, QoS 1,`,
    `   on \`${offerTopic('<homeId>', '<tag>')}\` (its own id: a broker with ACLs or an IoT policy lets it publish nowhere else),`,
    `   with, on MQTT 5, a message expiry of ${minutes * 60} s. It subscribes to \`${confirmTopic('<homeId>')}\` and to its offer topic.`,
    `2. **Claim.** The person says the code. The skill subscribes to \`${offerFilter('<tag>')}\` for the tags of the current window,`,
    '   the one before and the one after (a home clock a little ahead), and keeps an offer only if its `homeId` is its',
    '   topic\'s own segment. None, or offers from two homes: "that code doesn\'t match" (nobody is paired to a home they',
    '   did not mean). An expired offer is cleared (an empty retained payload). Otherwise the skill **claims** the code',
    '   (its tag) with a conditional write: only the first account gets it; later ones, and anyone saying it after its',
    '   offer was cleared, hear that the code was just used.',
    '3. **Confirm.** The skill makes a 32-byte **pairing key** and a 12-hex-digit **pairing id**, and an X25519 key pair',
    '   of its own. The sealing key is HKDF-SHA256 of the X25519 shared secret, salted with SHA-256 of',
    `   \`<code>/<nonce>\`, info \`winddown pairing v${PAIRING_VERSION}\`, 32 bytes. It seals \`{"key": <pairing key hex>, "account": <hint>}\` with`,
    `   AES-256-GCM under a random 12-byte IV, with \`[${PAIRING_VERSION}, homeId, tag, pairingId]\` (JSON) as associated data, and publishes`,
    `   the confirm on \`${confirmTopic('<homeId>')}\`, QoS 1; then it clears the offer. Because the code salts the derivation,`,
    '   only someone who knows the code can seal a key the home accepts.',
    '4. **Keep.** The home opens the confirm with its ephemeral private key and the code, and adds the key to its set',
    '   under the pairing id (`identity.json`); a confirm that does not open is ignored. It clears its offer in every',
    '   case: paired, expired, or stopped by SIGINT, SIGTERM or SIGHUP.',
    '',
    'From then on the skill signs that user\'s commands with the pairing key and names it: `"kid": "<pairing id>"` in',
    'the signed envelope (see [Signed commands](#signed-commands)). A second person pairing the same home gets a key of',
    'their own; nobody is cut off. `winddown pairings` lists the set; `winddown unpair <id>` or `--all` revokes (the',
    `running bridge watches the file), and the home publishes the revoked ids, retained, on \`${homeTopics('<homeId>').pairingsState}\`,`,
    'so the skill tells that user, on their next session, how to pair again.',
    '',
    'Worked example (private keys given only so you can check your implementation; a real home never shows its own):',
    '',
    '| | |',
    '| --- | --- |',
    `| code | \`${code}\` (said "${spokenCode(code)}") |`,
    `| made at | ${T} (window ${window}) |`,
    `| tag | \`${tag}\` |`,
    `| home\'s X25519 private key (raw, hex) | \`${seed('home ephemeral').toString('hex')}\` |`,
    `| skill\'s X25519 private key (raw, hex) | \`${seed('skill ephemeral').toString('hex')}\` |`,
    `| pairing key (hex) | \`${content.key}\` |`,
    '',
    'Offer:',
    '',
    '```json',
    JSON.stringify(offer),
    '```',
    '',
    'Confirm:',
    '',
    '```json',
    JSON.stringify(confirm),
    '```',
    '',
    ...guessingSection(),
    ...threatSection(),
  ];
}

/** Why the code has nine digits, with the numbers the skill's limits give. */
function guessingSection(): string[] {
  const space = 9 * 10 ** (CODE_DIGITS - 1);
  const year = 365 * 24 * 60;
  const perAccountPerYear = (PAIR_MAX_FAILURES * year) / (PAIR_WINDOW_MS / 60_000);
  const skillPerYear = SKILL_MAX_FAILURES_PER_MINUTE * year;
  const accounts = 1000;
  const fmt = (n: number): string => n.toExponential(2).replace(/e\+?(\d+)/, ' × 10^$1');
  const years = (live: number, perYear: number): string => (space / (live * perYear)).toFixed(live * perYear > space ? 2 : 1);
  return [
    '### Guessing a code',
    '',
    `The attacker: a thousand Alexa accounts, each saying codes as fast as Alexa answers (one every 5 s or so, ${fmt(
      (year * 60) / 5,
    )} a year). The skill counts **every wrong code** in a ledger apart from the user\'s attributes (atomic: a DynamoDB`,
    'conditional put and atomic `ADD`/`list_append` in production, an exclusive file create and appends locally,',
    'one synchronous step in memory). A success clears nothing, and a ledger that cannot be read counts as a wrong code.',
    '',
    `- Per account: ${PAIR_MAX_FAILURES} wrong codes in any ${PAIR_WINDOW_MS / 60_000} minutes, then refused until the oldest leaves the window: at most ${fmt(perAccountPerYear)} a year,`,
    `  ${fmt(perAccountPerYear * accounts)} for ${accounts} accounts.`,
    `- Skill-wide: ${SKILL_MAX_FAILURES_PER_MINUTE} wrong codes a minute, then no code is checked until the next minute: at most **${fmt(skillPerYear)} a year**, however many`,
    '  accounts share them. This is the limit that binds.',
    `- Codes: ${CODE_DIGITS} digits, the first not 0: ${fmt(space)} codes. With L codes live at any moment, a guess hits one with`,
    `  probability L / ${fmt(space)}; the expected time to the first hit is ${fmt(space)} / (L × ${fmt(skillPerYear)}) years:`,
    '',
    '| codes live at once (L) | expected years to hit any | chance within one year | per-account limit alone (years) |',
    '| --- | --- | --- | --- |',
    ...[1, 10, 50].map(
      (live) =>
        `| ${live} | ${years(live, skillPerYear)} | ${((1 - Math.exp((-skillPerYear * live) / space)) * 100).toFixed(1)} % | ${years(live, perAccountPerYear * accounts)} |`,
    ),
    '',
    `Ten codes live at every moment is about ${Math.round((10 * 24 * 60) / (PAIRING_CODE_TTL_MS / 60_000)).toLocaleString('en')} pairings a day. The six digits used before gave ${fmt(9e5)} codes:`,
    `one live code fell to the per-account limits of ${accounts} accounts in about ${Math.round((9e5 / (perAccountPerYear * accounts)) * year)} minutes.`,
    '',
    'The price: a few dozen accounts saying wrong codes can keep the skill-wide budget spent, so that nobody can pair',
    'for as long as they keep it up (the codes then wait, and expire). That is a denial of pairing, not a pairing.',
    '',
  ];
}

/** Who can read and write what, per kind of broker, and what is not defended. */
function threatSection(): string[] {
  return [
    '### Threat model',
    '',
    'The named attacker: a stranger with read access to the broker, an Alexa account (or a thousand) and patience;',
    'where the broker allows it, also write access to topics that are not theirs. What each can see and do:',
    '',
    '| broker | who can read | who can write | what holds |',
    '| --- | --- | --- | --- |',
    '| Aedes, embedded (`winddown start`, the local run) | every process on this machine that connects to its loopback port; MQTT 3.1.1 only (Aedes 1.2 refuses a CONNECT of protocol level 5), so offers have no message expiry | the same | one home in personal mode, nobody pairs; commands are signed; an offer is cleared on exit and by every signal but SIGKILL |',
    '| Mosquitto, anonymous, no ACLs | anyone who can connect: every offer, confirm, command and state | anyone: every topic | no key in any payload (offers carry public keys, confirms sealed keys); commands need a key the home holds; an offer under a foreign id is ignored, two homes offering one tag pair nobody; a confirm needs the code to open |',
    '| Mosquitto with a per-home ACL (`acl_file`, one user per home: `pattern write winddown/pairing/%u/#`, `pattern readwrite winddown/%u/#`, the skill\'s user reads and writes `winddown/#`) | a home: its own subtree only; the skill: everything | a home: its own subtree and its own offers; the skill: everything | as above, and a home can neither plant an offer under another home\'s id nor read another home\'s offers, confirms or commands |',
    '| AWS IoT Core, with the stack\'s policies | a home (thing): `winddown/<thing>/…` only; the skill\'s certificate: offers, availability, bridge and pairing state | a home: its own states and `winddown/pairing/<thing>/…` (policy variable `${iot:Connection.Thing.ThingName}`), never a reserved name (explicit Deny); the skill: commands, confirms, clearing offers | as with ACLs; MQTT 5 message expiry on offers, so even a killed `winddown pair` leaves nothing readable after the code\'s ten minutes |',
    '',
    'Tested: test/e2e/pairing.test.ts records every message of a whole pairing at the broker (and the session that',
    'follows) and finds no key of the home\'s, nor the pairing key, in hex, base64 or base64url, in any payload;',
    'test/devices/pairing-acl.test.ts runs the ACL above on Mosquitto and plants offers as a foreign home.',
    '',
    'Not defended, or only in part:',
    '',
    '- **A reader who reverses a tag.** Tags are treated as public. Reversing one means a scrypt search of all',
    `  ${(9 * 10 ** (CODE_DIGITS - 1)).toLocaleString('en')} codes for that ten-minute window (16 MiB each; about 10⁸ s of one CPU core, hours on a large GPU`,
    '  farm). Whoever does it within the code\'s ten minutes can say the code before the owner and be paired. The owner',
    '  then hears "that code was just used", or sees an account hint they do not know in `winddown pairings`, and',
    '  revokes it with `winddown unpair`. On AWS IoT Core and Mosquitto with ACLs, only the skill can read offers.',
    '- **A writer on a broker without ACLs** can clear or replace offers (a denial of pairing), publish fake state and',
    '  availability, and, by replacing a home\'s offer with its own public key, learn the sealed pairing key and the',
    '  code by an offline search of the confirm; with the code it can seal a key of its own to the real home. Use ACLs',
    '  (or AWS IoT Core) wherever more than one party can reach the broker.',
    '- **Someone in the room** who hears the code said aloud, or reads it on the screen, can race the owner.',
    '- **The keys at rest**: `identity.json` holds every key in clear, protected by file mode 0600 in a 0700',
    '  directory. A copy of the home\'s disk is a copy of its keys (`winddown unpair --all` replaces them all).',
    '- **A spent pairing budget**: see above; a denial of pairing while it lasts.',
    '- **Guesses at the same instant**: the counts are read, then the code is checked, then a wrong one is counted;',
    '  requests from one account arriving together (several Echo devices) are each checked before any is counted, so',
    '  a burst can exceed the per-account limit by its own size, once per window. The skill-wide limit bounds it.',
    '- **The account hint** is the first eight hex digits of a hash of the Alexa user id, sealed with the key: it tells',
    '  the owner that two pairings are the same account, not who the account is.',
    '- **Revocation reaches the skill on the next session**: a revoked user\'s diffuser or bedtime commands are',
    '  dropped by the home (`signature`) without a word; their next session says how to pair again.',
    '- `winddown pair` and `winddown unpair` change `identity.json` by read, change, rename, without a lock: two run at',
    '  the same moment can lose one change.',
    '',
  ];
}
