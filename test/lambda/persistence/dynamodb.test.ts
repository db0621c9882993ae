/**
 * The DynamoDB store on the AWS SDK v3, against a real DynamoDB-compatible server in this process
 * (dynalite), reached only through the SDK's own settings (AWS_ENDPOINT_URL_DYNAMODB and friends), and
 * against tables that do not answer: a closed port, a server that never replies, and (with a fake
 * clock) a call that never returns.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestEnvelope } from 'ask-sdk-model';
import * as skillIndex from '../../../lambda/index';
import { DynamoStore, type DocumentSender } from '../../../lambda/persistence/dynamodb';
import * as entry from '../../../lambda/persistence/dynamodb-entry';
import { awsEnv, startDynalite, startSilentServer, type LocalDynamo } from '../../support/dynalite';
import { freePort } from '../../support/brokers';
import { captureLog, harness, textOf, type Harness } from '../helpers';

const SECRET = 'never-in-a-log-0123456789';
const fromSource = (): typeof entry => entry;

const envelopeOf = (userId: string, requestId: string): RequestEnvelope =>
  ({ context: { System: { user: { userId } } }, request: { type: 'LaunchRequest', requestId } }) as unknown as RequestEnvelope;

/** The SDK reads its settings from process.env; each test sets them and they are put back after. */
let savedEnv: NodeJS.ProcessEnv;
beforeEach(() => {
  savedEnv = { ...process.env };
});
afterEach(() => {
  process.env = savedEnv;
});

function useTable(endpoint: string): void {
  Object.assign(process.env, awsEnv(endpoint), { AWS_SECRET_ACCESS_KEY: SECRET });
}

describe('DynamoStore against dynalite', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(() => dynamo.close());

  it('reads nothing for a new user, then what was saved, from a fresh client; delete forgets', async () => {
    useTable(dynamo.endpoint);
    const log = captureLog();
    const first = entry.createDynamoAdapter(dynamo.table, log);
    expect(await first.getAttributes(envelopeOf('amzn1.ask.account.A', 'r1'))).toEqual({});
    await first.saveAttributes(envelopeOf('amzn1.ask.account.A', 'r1'), { bedtime: '22:30', session: null, gone: undefined });

    const second = entry.createDynamoAdapter(dynamo.table, log);
    expect(await second.getAttributes(envelopeOf('amzn1.ask.account.A', 'r2'))).toEqual({ bedtime: '22:30', session: null });
    expect(await second.getAttributes(envelopeOf('amzn1.ask.account.B', 'r3'))).toEqual({});

    // The item layout of the ASK SDK's own adapter, so a table it filled keeps working.
    const raw = (await entry.createDynamoClient().send(new GetCommand({ TableName: dynamo.table, Key: { id: 'amzn1.ask.account.A' } }))) as { Item?: unknown };
    expect(raw.Item).toEqual({ id: 'amzn1.ask.account.A', attributes: { bedtime: '22:30', session: null } });

    await second.deleteAttributes!(envelopeOf('amzn1.ask.account.A', 'r4'));
    expect(await second.getAttributes(envelopeOf('amzn1.ask.account.A', 'r5'))).toEqual({});
    expect(log.lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('a missing table is logged by its error name and costs nothing but the memory', async () => {
    useTable(dynamo.endpoint);
    const log = captureLog();
    const store = entry.createDynamoAdapter('no-such-table', log);
    expect(await store.getAttributes(envelopeOf('amzn1.ask.account.A', 'r1'))).toEqual({});
    await store.saveAttributes(envelopeOf('amzn1.ask.account.A', 'r1'), { bedtime: '22:30' });
    expect(log.lines).toEqual([
      { level: 'warn', event: 'state.read-failed', error: 'ResourceNotFoundException', attempts: 1 },
      { level: 'warn', event: 'state.save-skipped', reason: 'read-failed' },
    ]);
  });

  it('a bedtime set in one skill is read back by a fresh one, in a fresh module registry', async () => {
    useTable(dynamo.endpoint);
    const env = { WINDDOWN_DYNAMODB_TABLE: dynamo.table };
    const h = harness({ env, loadDynamo: fromSource });
    try {
      expect(textOf(await h.utter('set my bedtime to ten thirty pm'))).toContain('10:30 PM');
    } finally {
      await h.close();
    }
    let isolated: typeof skillIndex | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      isolated = require('../../../lambda/index') as typeof skillIndex;
    });
    expect(isolated).toBeDefined();
    expect(isolated!.createHandler).not.toBe(skillIndex.createHandler);
    const later = harness({
      env,
      sameUserAs: h,
      create: isolated!.createHandler,
      loadDynamo: () => {
        let fresh: typeof entry | undefined;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        jest.isolateModules(() => void (fresh = require('../../../lambda/persistence/dynamodb-entry') as typeof entry));
        return fresh!;
      },
    });
    try {
      expect(textOf(await later.utter('when is my bedtime'))).toBe('Your bedtime is 10:30 PM.');
      expect(later.log.lines.filter((l) => l.level !== 'info')).toEqual([]);
    } finally {
      await later.close();
    }
  });
});

describe('a table that does not answer', () => {
  it('the client gives up quickly: two attempts, short connection and request timeouts that end the attempt', async () => {
    const dynamo = await startDynalite();
    try {
      useTable(dynamo.endpoint);
      const client = entry.createDynamoClient();
      expect(await client.config.maxAttempts()).toBe(2);
      // The handler's settings resolve on its first request.
      await client.send(new GetCommand({ TableName: dynamo.table, Key: { id: 'x' } }));
      const handler = client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
      expect(handler.httpHandlerConfigs()).toEqual(
        expect.objectContaining({ connectionTimeout: entry.CLIENT_LIMITS.connectionTimeout, requestTimeout: entry.CLIENT_LIMITS.requestTimeout, throwOnRequestTimeout: true }),
      );
      // Two attempts at most, each bounded, fit inside the request's budget.
      expect(entry.CLIENT_LIMITS.maxAttempts * (entry.CLIENT_LIMITS.connectionTimeout + entry.CLIENT_LIMITS.requestTimeout)).toBeLessThanOrEqual(2000);
    } finally {
      await dynamo.close();
    }
  });

  const unreachable: [string, () => Promise<{ endpoint: string; close(): Promise<void> }>][] = [
    ['a closed port', async () => ({ endpoint: `http://127.0.0.1:${await freePort()}`, close: () => Promise.resolve() })],
    ['a server that accepts and never answers', startSilentServer],
  ];

  it.each(unreachable)('with %s, a launch still speaks its session; the failure is logged without secrets', async (_, start) => {
    const server = await start();
    let h: Harness | undefined;
    try {
      useTable(server.endpoint);
      h = harness({ env: { WINDDOWN_DYNAMODB_TABLE: 'winddown' }, loadDynamo: fromSource });
      const launched = await h.launch();
      expect(textOf(launched)).toContain('Welcome to Wind Down');
      expect(launched.response.outputSpeech?.ssml?.length).toBeGreaterThan(1000); // the session itself, not an apology
      const events = h.log.lines.map((l) => l.event);
      expect(events).toEqual(expect.arrayContaining(['state.read-failed', 'state.save-skipped']));
      expect(events).not.toContain('error');
      const failed = h.log.lines.find((l) => l.event === 'state.read-failed')!;
      expect(typeof failed.error).toBe('string');
      expect(JSON.stringify(h.log.lines)).not.toContain(SECRET);
      expect(JSON.stringify(h.log.lines)).not.toContain(h.alexa.context().user().id());
    } finally {
      await h?.close();
      await server.close();
    }
  });
});

describe('the request budget (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** A client whose calls never return unless told to, recording the abort signals it was given. */
  function stuckClient(): DocumentSender & { signals: AbortSignal[]; answer?: (value: unknown) => void } {
    const sender: DocumentSender & { signals: AbortSignal[]; answer?: (value: unknown) => void } = {
      signals: [],
      send: (_command, { abortSignal }) => {
        sender.signals.push(abortSignal);
        return new Promise((resolve) => (sender.answer = resolve));
      },
    };
    return sender;
  }

  it('a read that never returns answers "nothing remembered" when the 1.5 s budget is spent, aborts the call, and skips the write', async () => {
    const client = stuckClient();
    const log = captureLog();
    const store = new DynamoStore({ client, tableName: 't', log });
    let result: Record<string, unknown> | undefined;
    void store.getAttributes(envelopeOf('u', 'r1')).then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(1499);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({});
    expect(client.signals[0]!.aborted).toBe(true);
    await store.saveAttributes(envelopeOf('u', 'r1'), { bedtime: '22:30' });
    expect(client.signals).toHaveLength(1);
    expect(log.lines).toEqual([
      { level: 'warn', event: 'state.read-failed', error: 'TimeoutError' },
      { level: 'warn', event: 'state.save-skipped', reason: 'read-failed' },
    ]);
  });

  it('a write gets what is left of the budget, and at least 300 ms after a slow read that answered', async () => {
    const client = stuckClient();
    const log = captureLog();
    const store = new DynamoStore({ client, tableName: 't', log });
    const read = store.getAttributes(envelopeOf('u', 'r1'));
    await jest.advanceTimersByTimeAsync(1400);
    client.answer!({ Item: { id: 'u', attributes: { bedtime: '23:00' } } });
    expect(await read).toEqual({ bedtime: '23:00' });
    let saved = false;
    void store.saveAttributes(envelopeOf('u', 'r1'), { bedtime: '22:30' }).then(() => (saved = true));
    await jest.advanceTimersByTimeAsync(299);
    expect(saved).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(saved).toBe(true);
    expect(client.signals[1]!.aborted).toBe(true);
    expect(log.lines).toEqual([{ level: 'warn', event: 'state.save-failed', error: 'TimeoutError' }]);
  });

  it('a read and a write that answer at once share the budget without waiting', async () => {
    const calls: string[] = [];
    const client: DocumentSender = {
      send: (command) => {
        calls.push(command.constructor.name);
        return Promise.resolve(command instanceof GetCommand ? {} : {});
      },
    };
    const store = new DynamoStore({ client, tableName: 't', log: captureLog() });
    expect(await store.getAttributes(envelopeOf('u', 'r1'))).toEqual({});
    await store.saveAttributes(envelopeOf('u', 'r1'), { bedtime: '22:30' });
    expect(calls).toEqual(['GetCommand', 'PutCommand']);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('a DynamoDB bundle that cannot be loaded', () => {
  it('is logged and the launch still speaks', async () => {
    const h = harness({
      env: { WINDDOWN_DYNAMODB_TABLE: 'winddown' },
      loadDynamo: () => {
        throw Object.assign(new Error(`Cannot find module with key ${SECRET}`), { code: 'MODULE_NOT_FOUND' });
      },
    });
    try {
      expect(textOf(await h.launch())).toContain('Welcome to Wind Down');
      expect(h.log.lines).toEqual(expect.arrayContaining([{ level: 'error', event: 'state.unavailable', error: 'MODULE_NOT_FOUND' }]));
      expect(JSON.stringify(h.log.lines)).not.toContain(SECRET);
    } finally {
      await h.close();
    }
  });
});
