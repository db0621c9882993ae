/**
 * The built Lambda (dist/lambda/index.js, from `npm run build`) through virtual-alexa and a real broker,
 * configured only by the environment, as on Lambda. Skipped until the bundle has been built.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { VirtualAlexa } from 'virtual-alexa';
import { APL_INTERFACE, RENDER_DOCUMENT } from '../../src/engine/apl';
import { codeTag, codeWindow, confirmTopic, newEphemeralKey, newNonce, offerTopic, openPairing, parseConfirm, PAIRING_VERSION } from '../../src/protocol/pairing';
import * as say from '../../lambda/speech';
import { startAedes } from '../support/brokers';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { expectValidSpeech, HOME_ID, MODEL, startBroker, textOf, type SkillResponse } from './helpers';
import { until } from '../support/until';

const BUILT = join(__dirname, '../../dist/lambda/index.js');

type BuiltHandler = ((event: unknown, context: unknown) => Promise<unknown>) & { close(): Promise<void> };

/** A fresh copy of the built skill, as a new Lambda container would load it, driven by virtual-alexa. */
function freshSkill(): { alexa: VirtualAlexa; handler: BuiltHandler } {
  let handler: BuiltHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(BUILT) as { handler: BuiltHandler }).handler;
  });
  const built = handler!;
  const alexa = VirtualAlexa.Builder().handler((event: unknown, context: unknown) => built(event, context) as unknown as void).interactionModelFile(MODEL).create();
  return { alexa, handler: built };
}

type Directive = { type: string; document?: { type?: string; onMount?: unknown[] } };
const directivesOf = (r: unknown): Directive[] => ((r as { response: { directives?: Directive[] } }).response.directives ?? []);

(existsSync(BUILT) ? describe : describe.skip)('the built handler', () => {
  it('speaks a session for launch and every one-shot, and the broker sees the matching commands', async () => {
    const broker = await startBroker();
    const saved = { ...process.env };
    Object.assign(process.env, { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: HOME_ID, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX });
    try {
      const alexa = VirtualAlexa.Builder().handler(`${BUILT.replace(/\.js$/, '')}.handler`).interactionModelFile(MODEL).create();
      const launched = (await alexa.launch()) as SkillResponse;
      await expectValidSpeech(launched);
      expect(launched.response.outputSpeech?.ssml).toContain('Welcome to Wind Down');
      // Every one-shot people use, each a spoken session and one session.start for its script.
      const oneShots: [string, string][] = [
        ['ask wind down to start progressive muscle relaxation', 'pmr-full'],
        ['ask wind down to start a body scan', 'body-scan'],
        ['ask wind down to start breathing', 'paced-breathing'],
        ['ask wind down to start breathing for five minutes', 'paced-breathing'],
        ['ask wind down to start a guided meditation', 'breath-awareness'],
      ];
      for (const [utterance] of oneShots) await expectValidSpeech((await alexa.utter(utterance)));
      const starts = () => broker.published.flatMap((p) => (p.command.type === 'session.start' ? [p.command.scriptId] : []));
      await until(() => starts().length >= oneShots.length + 1);
      expect(starts()).toEqual(['paced-breathing', ...oneShots.map(([, id]) => id)]);
      expect(broker.published.every((p) => p.command.homeId === HOME_ID)).toBe(true);
      expect(broker.rejected).toEqual([]);
      // A question is answered from the FAQ built apart (faq.js beside index.js), loaded only now.
      expect(existsSync(join(BUILT, '../faq.js'))).toBe(true);
      const answered = (await alexa.intend('AskQuestionIntent', { question: 'does relaxation work for back pain' })) as SkillResponse;
      expect(answered.response.outputSpeech?.ssml).toContain('Studies suggest these practices can improve sleep quality');
    } finally {
      // The same module instance virtual-alexa loaded: close its warm MQTT connection.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      await (require(BUILT) as { handler: { close(): Promise<void> } }).handler.close();
      process.env = saved;
      await broker.close();
    }
  });

  it('an Echo Show gets the breathing shape and a black screen on stop, from apl.js beside index.js', async () => {
    const broker = await startBroker();
    const saved = { ...process.env };
    Object.assign(process.env, { WINDDOWN_MQTT_URL: broker.url, WINDDOWN_HOME_ID: HOME_ID, WINDDOWN_HOME_KEY: TEST_HOME_KEY_HEX });
    const { alexa, handler } = freshSkill();
    try {
      expect(existsSync(join(BUILT, '../apl.js'))).toBe(true);
      alexa.filter((request: { context: { System: { device: { supportedInterfaces: Record<string, unknown> } } } }) => {
        request.context.System.device.supportedInterfaces[APL_INTERFACE] = { runtime: { maxVersion: '1.6' } };
      });
      const launched = await alexa.launch();
      const shape = directivesOf(launched).filter((d) => d.type === RENDER_DOCUMENT);
      expect(shape).toHaveLength(1);
      expect(shape[0]!.document?.type).toBe('APL');
      expect(shape[0]!.document?.onMount?.length).toBe(1);
      const stopped = await alexa.intend('AMAZON.StopIntent');
      const black = directivesOf(stopped).filter((d) => d.type === RENDER_DOCUMENT);
      expect(black).toHaveLength(1);
      expect(black[0]!.document?.onMount).toEqual([]);
    } finally {
      await handler.close();
      process.env = saved;
      await broker.close();
    }
  });

  it('pairs a home by its spoken code in hosted mode, sealing a key only that home can open, from pairing.js', async () => {
    const broker = await startAedes();
    const saved = { ...process.env };
    Object.assign(process.env, { WINDDOWN_MQTT_URL: broker.url });
    delete process.env.WINDDOWN_HOME_ID;
    delete process.env.WINDDOWN_HOME_KEY;
    const home = await mqtt.connectAsync(broker.url, { clientId: 'built-pairing-home', reconnectPeriod: 0 });
    const { alexa, handler } = freshSkill();
    try {
      expect(existsSync(join(BUILT, '../pairing.js'))).toBe(true);
      // What `winddown pair` offers: an ephemeral key under the code's tag, retained.
      const code = '482915307';
      const homeId = 'built-hosted-home';
      const now = Date.now();
      const tag = await codeTag(code, codeWindow(now));
      const ephemeral = newEphemeralKey();
      const nonce = newNonce();
      const confirms: Buffer[] = [];
      home.on('message', (topic, payload) => void (topic === confirmTopic(homeId) && confirms.push(payload)));
      await home.subscribeAsync(confirmTopic(homeId), { qos: 1 });
      const offer = { v: PAIRING_VERSION, homeId, pub: ephemeral.pub, expiresAt: now + 5 * 60_000, nonce };
      await home.publishAsync(offerTopic(homeId, tag), JSON.stringify(offer), { qos: 1, retain: true });

      expect(textOf(await alexa.intend('PairHomeIntent', { code }))).toBe(say.PAIRED);
      await until(() => confirms.length === 1);
      const confirm = parseConfirm(confirms[0]!);
      expect(confirm).not.toBeNull();
      const sealed = openPairing(confirm!, { homeId, tag, code, nonce, privateKey: ephemeral.privateKey });
      expect(sealed?.key).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await home.endAsync(true);
      await handler.close();
      process.env = saved;
      await broker.close();
    }
  });
});
