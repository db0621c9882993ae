/**
 * The built Lambda (dist/lambda/index.js, from `npm run build`) through virtual-alexa and a real broker,
 * configured only by the environment, as on Lambda. Skipped until the bundle has been built.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualAlexa } from 'virtual-alexa';
import { TEST_HOME_KEY_HEX } from '../support/signing';
import { expectValidSpeech, HOME_ID, MODEL, startBroker, type SkillResponse } from './helpers';
import { until } from '../support/until';

const BUILT = join(__dirname, '../../dist/lambda/index.js');

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
});
