/**
 * Whole-skill test harness: the skill's handler driven by virtual-alexa through the real en-US
 * interaction model, a real broker (Aedes, or Mosquitto when installed) that records what the skill publishes, and
 * every response's SSML checked as Alexa would (ssml-check-core, platform amazon, under 8,000 chars).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { check } from 'ssml-check-core';
import { VirtualAlexa } from 'virtual-alexa';
import { createHandler, type AlexaHandler } from '../../lambda/index';
import type { Log, LogFields } from '../../lambda/log';
import { parseCommand, type Command } from '../../src/protocol/messages';

export const MODEL = 'skill-package/interactionModels/custom/en-US.json';
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

/**
 * Starts a real broker and records every command published to it, parsed with the shared
 * `parseCommand`. Aedes (the default) runs in a child process because it is an ES module; Mosquitto is
 * used when asked for and its binary is present.
 */
export async function startBroker(kind: 'aedes' | 'mosquitto' = 'aedes'): Promise<TestBroker> {
  const published: Published[] = [];
  const rejected: string[] = [];
  const record = (topic: string, payload: Buffer): void => {
    const parsed = parseCommand(payload);
    if (parsed.ok) published.push({ topic, command: parsed.command });
    else rejected.push(`${parsed.reason}: ${parsed.detail}`);
  };
  if (kind === 'mosquitto') return startMosquitto(record, published, rejected);
  const child = spawn(process.execPath, [join(__dirname, 'aedes-broker.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`aedes exited with ${code}`)));
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { port?: number; topic?: string; payload?: string };
      if (message.port !== undefined) resolve(message.port);
      else if (message.topic !== undefined && message.payload !== undefined) record(message.topic, Buffer.from(message.payload, 'base64'));
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `mqtt://127.0.0.1:${port}`,
    published,
    rejected,
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));

async function startMosquitto(record: (topic: string, payload: Buffer) => void, published: Published[], rejected: string[]): Promise<TestBroker> {
  if (MOSQUITTO === undefined) throw new Error('mosquitto is not installed');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'winddown-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  const child = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
  // A subscriber of our own records what arrives, as the home bridge would see it.
  const { connectAsync } = await import('mqtt');
  let subscriber: Awaited<ReturnType<typeof connectAsync>> | undefined;
  for (let attempt = 0; attempt < 50 && subscriber === undefined; attempt++) {
    try {
      subscriber = await connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (subscriber === undefined) throw new Error('mosquitto did not start');
  subscriber.on('message', (topic, payload) => record(topic, payload));
  await subscriber.subscribeAsync('winddown/#', { qos: 1 });
  const sub = subscriber;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    published,
    rejected,
    close: async () => {
      await sub.endAsync(true);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
}

export function harness(options: HarnessOptions = {}): Harness {
  const stateDir = options.sameUserAs?.stateDir ?? mkdtempSync(join(tmpdir(), 'winddown-skill-'));
  const log = captureLog();
  const handler = createHandler({
    env: { WINDDOWN_HOME_ID: HOME_ID, WINDDOWN_STATE_DIR: stateDir, ...options.env },
    log,
    ...(options.now ? { now: options.now } : {}),
  });
  let builder = VirtualAlexa.Builder()
    // virtual-alexa awaits the promise a handler returns; its type only says the function returns void.
    .handler((event: unknown, context: unknown) => handler(event as Parameters<AlexaHandler>[0], context as Parameters<AlexaHandler>[1]) as unknown as void)
    .interactionModelFile(MODEL);
  if (options.applicationId) builder = builder.applicationID(options.applicationId);
  const alexa = builder.create();
  if (options.sameUserAs) alexa.context().user().setID(options.sameUserAs.alexa.context().user().id());
  alexa.filter((request: { request: { intent?: { name: string; slots?: Record<string, { value?: string }> } } }) => {
    const time = request.request.intent?.name === 'SetBedtimeIntent' ? request.request.intent.slots?.time : undefined;
    if (time?.value !== undefined) time.value = SPOKEN_TIMES[time.value.toLowerCase()] ?? time.value;
  });
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
    close: async () => {
      await handler.close();
      if (options.sameUserAs === undefined) rmSync(stateDir, { recursive: true, force: true });
    },
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

/** Waits until `predicate` holds (broker callbacks run a moment after the PUBACK). */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
