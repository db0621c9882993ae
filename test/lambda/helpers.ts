/**
 * Whole-skill test harness: the skill's handler driven by virtual-alexa through the real en-US
 * interaction model, a real broker (Aedes in this process, or Mosquitto when installed) that records what the skill publishes, and
 * every response's SSML checked as Alexa would (ssml-check-core, platform amazon, under 8,000 chars).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { check } from 'ssml-check-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import { VirtualAlexa } from 'virtual-alexa';
import { createHandler, type AlexaHandler, type HandlerOptions } from '../../lambda/index';
import { FileStore } from '../../local/skill-file-store';
import type { Log, LogFields } from '../../lambda/log';
import { parseCommand, type Command } from '../../src/protocol/messages';
import { verifySigned } from '../../src/protocol/signing';
import { homeTopics } from '../../src/protocol/topics';
import { TEST_HOME_KEY, TEST_HOME_KEY_HEX } from '../support/signing';
import { closedAtTeardown, onTeardown } from '../support/teardown';
import { freePort, mosquittoPath, startAedes, startMosquitto, type MosquittoBroker, type MosquittoOptions } from '../support/brokers';

export const MODEL = 'skill-package/interactionModels/custom/en-US.json';
export const modelOf = (locale: string): string => `skill-package/interactionModels/custom/${locale}.json`;
/** Nothing listens here: a request that calls the Alexa APIs gets a refusal at once, never the internet. */
export const NO_ALEXA_APIS = 'http://127.0.0.1:1';
export const HOME_ID = 'test-home';

export interface Published {
  topic: string;
  command: Command;
}

export interface TestBroker {
  url: string;
  published: Published[];
  /** Payloads that failed `parseCommand` (should stay empty). */
  rejected: string[];
  close(): Promise<void>;
}

export type RecordedMosquitto = TestBroker & Pick<MosquittoBroker, 'tlsUrl' | 'wsUrl' | 'wssUrl' | 'certs'>;

function recorder(): { published: Published[]; rejected: string[]; record: (topic: string, payload: Uint8Array) => void } {
  const published: Published[] = [];
  const rejected: string[] = [];
  const record = (topic: string, payload: Uint8Array): void => {
    // As the bridge reads it: the signature with the home's key first, then the command inside.
    const signed = verifySigned(TEST_HOME_KEY, Buffer.from(payload).toString('utf8'));
    if (!signed.ok) {
      rejected.push(`signature: ${signed.detail}`);
      return;
    }
    const parsed = parseCommand(signed.commandText);
    if (parsed.ok) published.push({ topic, command: parsed.command });
    else rejected.push(`${parsed.reason}: ${parsed.detail}`);
  };
  return { published, rejected, record };
}

/**
 * Starts a real broker and records every command published to it, its signature checked with the test
 * home's key and the command parsed with the shared `parseCommand`: Aedes in this process (the default), or Mosquitto when asked for (and installed).
 */
export async function startBroker(kind: 'aedes' | 'mosquitto' = 'aedes'): Promise<TestBroker> {
  if (kind === 'mosquitto') return startRecordedMosquitto();
  const broker = await startAedes();
  const { published, rejected, record } = recorder();
  broker.aedes.on('publish', (packet, client) => {
    if (client !== null) record(packet.topic, packet.payload as Uint8Array); // null: the broker's own $SYS messages
  });
  return { url: broker.url, published, rejected, close: () => broker.close() };
}

/**
 * The test file's recording broker: started before its first test and closed after its last. After
 * each test nothing it received may have been rejected, and what it recorded is cleared.
 */
export function recordingBroker(kind: 'aedes' | 'mosquitto' = 'aedes'): TestBroker {
  let started: TestBroker | null = null;
  const current = (): TestBroker => {
    if (!started) throw new Error('the broker starts before the first test');
    return started;
  };
  beforeAll(async () => {
    started = await closedAtTeardown(startBroker(kind));
  });
  afterEach(() => {
    expect(current().rejected).toEqual([]);
    current().published.length = 0;
  });
  return {
    get url() {
      return current().url;
    },
    get published() {
      return current().published;
    },
    get rejected() {
      return current().rejected;
    },
    close: () => current().close(),
  };
}

/** Mosquitto with the listeners asked for; a subscriber on its plain listener records what arrives, as the bridge would see it. */
export async function startRecordedMosquitto(options: MosquittoOptions = {}): Promise<RecordedMosquitto> {
  const broker = await startMosquitto(options);
  const { published, rejected, record } = recorder();
  try {
    const subscriber = await connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 2000 });
    subscriber.on('message', (topic, payload) => record(topic, payload));
    await subscriber.subscribeAsync('winddown/#', { qos: 1 });
    return {
      ...broker,
      published,
      rejected,
      close: async () => {
        await subscriber.endAsync(true);
        await broker.close();
      },
    };
  } catch (error) {
    await broker.close();
    throw error;
  }
}

/**
 * Plays the bridge's part on the broker: its retained availability and what it has (null: it never
 * ran, both cleared). The recorder reads every publish as a command; these are the bridge's state.
 */
export async function bridgeSays(broker: TestBroker, state: { lights: boolean; diffuser: boolean } | null): Promise<void> {
  const client = await connectAsync(broker.url, { reconnectPeriod: 0 });
  const seen = broker.rejected.length;
  const topics = homeTopics(HOME_ID);
  await client.publishAsync(topics.availability, state ? 'online' : '', { qos: 1, retain: true });
  await client.publishAsync(topics.bridgeState, state ? JSON.stringify({ ...state, at: Date.now() }) : '', { qos: 1, retain: true });
  await client.endAsync();
  broker.rejected.splice(seen);
}

/** The Mosquitto binary, when installed (CI installs it; without it those tests are skipped). */
export const MOSQUITTO = mosquittoPath ?? undefined;

/** A port nothing listens on: connecting is refused at once. */
export async function deadUrl(): Promise<string> {
  return `mqtt://127.0.0.1:${await freePort()}`;
}

export interface LogLine extends LogFields {
  level: string;
  event: string;
}

export function captureLog(): Log & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const add = (level: string) => (event: string, fields?: LogFields) => void lines.push({ level, event, ...fields });
  return { lines, info: add('info'), warn: add('warn'), error: add('error') };
}

/** What Alexa's NLU would put in an AMAZON.TIME slot for the phrases the tests say. */
const SPOKEN_TIMES: Record<string, string> = {
  'ten pm': '22:00',
  'ten p m': '22:00',
  'ten thirty pm': '22:30',
  'ten thirty p m': '22:30',
  'eleven pm': '23:00',
  tonight: 'NI',
  'at night': 'NI',
  'this evening': 'EV',
  'in the evening': 'EV',
  'in the morning': 'MO',
  'this afternoon': 'AF',
};

export interface SkillResponse {
  response: {
    outputSpeech?: { type: string; ssml?: string };
    reprompt?: { outputSpeech?: { ssml?: string } };
    shouldEndSession?: boolean;
    directives?: { type: string; slotToElicit?: string }[];
  };
  sessionAttributes?: Record<string, unknown>;
}

/** The skill as one listener speaks to it; closed after the test (or after the file, when made in a beforeAll). */
export interface Harness {
  alexa: VirtualAlexa;
  handler: AlexaHandler;
  stateDir: string;
  log: ReturnType<typeof captureLog>;
  launch(): Promise<SkillResponse>;
  utter(phrase: string): Promise<SkillResponse>;
  intend(name: string, slots?: Record<string, string>): Promise<SkillResponse>;
  endSession(): Promise<SkillResponse>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Be the same user as an earlier harness, with its persistent state (a later Alexa session). */
  sameUserAs?: Harness;
  now?: () => number;
  applicationId?: string;
  /** Where the DynamoDB adapter comes from when WINDDOWN_DYNAMODB_TABLE is set (the source, in tests). */
  loadDynamo?: HandlerOptions['loadDynamo'];
  /** Another copy of `createHandler` (from a fresh module registry: a new process, as on Lambda). */
  create?: typeof createHandler;
  /** The interaction model and request locale (default en-US). */
  locale?: string;
  /** A pairing ledger shared with other harnesses (several Lambda containers, one table). */
  pairingLedger?: HandlerOptions['pairingLedger'];
  /**
   * Where the skill's Alexa API calls go (a loopback stand-in, `test/support/alexa-apis.ts`): set as
   * every request's `context.System.apiEndpoint`. Without it the device's time zone is unknown and
   * nothing is asked of any API (tests reach nothing beyond loopback).
   */
  apiEndpoint?: string;
  /** Changes every request before the skill sees it (permissions, say), after the harness's own. */
  filter?: (request: RequestEnvelope) => void;
}

export function harness(options: HarnessOptions = {}): Harness {
  const stateDir = options.sameUserAs?.stateDir ?? mkdtempSync(join(tmpdir(), 'winddown-skill-'));
  const log = captureLog();
  const handler = (options.create ?? createHandler)({
    env: { WINDDOWN_HOME_ID: HOME_ID, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX, ...options.env },
    log,
    // Files, as the local run keeps them: a later harness for the same user reads what this one saved.
    // With a table configured, the skill chooses its own store, as on Lambda.
    ...(options.env?.WINDDOWN_DYNAMODB_TABLE ? {} : { persistence: new FileStore(stateDir) }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.loadDynamo ? { loadDynamo: options.loadDynamo } : {}),
    ...(options.pairingLedger ? { pairingLedger: options.pairingLedger } : {}),
    ...(options.apiEndpoint === undefined ? { timeZone: () => Promise.resolve(null) } : {}),
  });
  let builder = VirtualAlexa.Builder()
    // virtual-alexa awaits the promise a handler returns; its type only says the function returns void.
    .handler((event: unknown, context: unknown) => handler(event as Parameters<AlexaHandler>[0], context as Parameters<AlexaHandler>[1]) as unknown as void)
    .interactionModelFile(modelOf(options.locale ?? 'en-US'))
    .locale(options.locale ?? 'en-US');
  if (options.applicationId) builder = builder.applicationID(options.applicationId);
  const alexa = builder.create();
  if (options.sameUserAs) alexa.context().user().setID(options.sameUserAs.alexa.context().user().id());
  // A device id is what makes virtual-alexa send an API token and endpoint at all.
  if (options.apiEndpoint !== undefined) alexa.context().device().generatedID();
  alexa.filter((request: { context?: { System?: { apiEndpoint?: string } }; request: { intent?: { name: string; slots?: Record<string, { value?: string }> } } }) => {
    if (options.apiEndpoint !== undefined && request.context?.System) request.context.System.apiEndpoint = options.apiEndpoint;
    const intent = request.request.intent?.name;
    const time = intent === 'SetBedtimeIntent' || intent === 'SetReminderIntent' ? request.request.intent?.slots?.time : undefined;
    if (time?.value !== undefined) time.value = SPOKEN_TIMES[time.value.toLowerCase().replace(/\./g, ' ').replace(/\s+/g, ' ').trim()] ?? time.value;
    options.filter?.(request as unknown as RequestEnvelope);
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await handler.close();
      if (options.sameUserAs === undefined) rmSync(stateDir, { recursive: true, force: true });
    })());
  onTeardown(close);
  const checked = async (p: Promise<unknown>): Promise<SkillResponse> => {
    const response = (await p) as SkillResponse;
    await expectValidSpeech(response);
    return response;
  };
  return {
    alexa,
    handler,
    stateDir,
    log,
    launch: () => checked(alexa.launch()),
    utter: (phrase) => checked(alexa.utter(phrase)),
    intend: (name, slots) => checked(alexa.intend(name, slots)),
    endSession: () => checked(alexa.endSession()),
    close,
  };
}

export function ssmlOf(response: SkillResponse): string {
  return response.response.outputSpeech?.ssml ?? '';
}

/** Plain words of the speech, tags removed, for readable assertions. */
export function textOf(response: SkillResponse): string {
  return ssmlOf(response).replace(/<[^>]+>/g, ' ').replace(/&apos;/g, "'").replace(/\s+/g, ' ').trim();
}

export async function expectValidSpeech(response: SkillResponse): Promise<void> {
  for (const ssml of [response.response.outputSpeech?.ssml, response.response.reprompt?.outputSpeech?.ssml]) {
    if (ssml === undefined) continue;
    expect(ssml.length).toBeLessThan(8000);
    const errors = await check(ssml, { platform: 'amazon' });
    expect({ ssml: ssml.slice(0, 200), errors }).toEqual({ ssml: ssml.slice(0, 200), errors: undefined });
  }
}
