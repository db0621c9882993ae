/**
 * The built Lambda (dist/lambda/index.js and the dynamodb.js beside it) with WINDDOWN_DYNAMODB_TABLE and
 * AWS_ENDPOINT_URL_DYNAMODB pointing at dynalite, configured only by the environment as on Lambda; and
 * nothing in dist/ carries the AWS SDK v2. Skipped until `npm run build` has run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualAlexa } from 'virtual-alexa';
import { startDynalite } from '../support/dynalite';
import { MODEL, type SkillResponse } from './helpers';

const DIST = join(__dirname, '../../dist');
const BUILT = join(DIST, 'lambda/index.js');

type BuiltHandler = ((event: unknown, context: unknown) => Promise<unknown>) & { close(): Promise<void> };

/** A fresh copy of the built skill, as a new Lambda container would load it. */
function loadFresh(): BuiltHandler {
  let handler: BuiltHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(BUILT) as { handler: BuiltHandler }).handler;
  });
  return handler!;
}

const speech = (r: unknown): string => ((r as SkillResponse).response.outputSpeech?.ssml ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

(existsSync(BUILT) ? describe : describe.skip)('the built handler with a DynamoDB table', () => {
  it('a bedtime set in one container is read back by a fresh one', async () => {
    const dynamo = await startDynalite();
    const saved = { ...process.env };
    Object.assign(process.env, dynamo.env, { WINDDOWN_HOME_ID: 'built-home' });
    delete process.env.WINDDOWN_MQTT_URL;
    const handlers: BuiltHandler[] = [];
    try {
      const first = loadFresh();
      handlers.push(first);
      const alexa = VirtualAlexa.Builder().handler((event: unknown, context: unknown) => first(event, context) as unknown as void).interactionModelFile(MODEL).create();
      expect(speech(await alexa.intend('SetBedtimeIntent', { time: '23:00' }))).toContain('Your bedtime is 11 PM');

      const second = loadFresh();
      handlers.push(second);
      expect(second).not.toBe(first);
      const later = VirtualAlexa.Builder().handler((event: unknown, context: unknown) => second(event, context) as unknown as void).interactionModelFile(MODEL).create();
      later.context().user().setID(alexa.context().user().id());
      expect(speech(await later.utter('when is my bedtime'))).toBe('Your bedtime is 11 PM.');
    } finally {
      for (const handler of handlers) await handler.close();
      process.env = saved;
      await dynamo.close();
    }
  });

  it('nothing in dist/ contains the AWS SDK v2', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js')) files.push(path);
      }
    };
    walk(DIST);
    expect(files).toEqual(expect.arrayContaining([BUILT, join(DIST, 'lambda/dynamodb.js')]));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect({ file, v2: /require\(["']aws-sdk(\/[^"']*)?["']\)|AWS SDK for JavaScript \(v2\)|DynamoDbPersistenceAdapter/.exec(text)?.[0] }).toEqual({ file, v2: undefined });
    }
  });
});
