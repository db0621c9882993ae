/**
 * The pairing ledger in its three stores — DynamoDB (dynalite, through the SDK v3, as on Lambda), local
 * files, and memory — held to the same rules: a code is claimed once however many claim it at the same
 * moment, and every wrong code counts, per account in a sliding window and per minute for the skill.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as entry from '../../lambda/persistence/dynamodb-entry';
import { MemoryLedger, PAIR_WINDOW_MS, type PairingLedger } from '../../lambda/pairing-ledger';
import { FileLedger } from '../../local/pairing-file-ledger';
import { awsEnv, startDynalite, startSilentServer, type LocalDynamo } from '../support/dynalite';
import { captureLog } from './helpers';

let dynamo: LocalDynamo;
let savedEnv: NodeJS.ProcessEnv;
const dirs: string[] = [];
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  savedEnv = { ...process.env };
  Object.assign(process.env, awsEnv(dynamo.endpoint));
});
afterEach(() => {
  process.env = savedEnv;
});

const T = 1_796_000_000_000;

const stores: [string, () => PairingLedger][] = [
  ['DynamoDB', () => entry.createDynamoLedger(dynamo.table, captureLog())],
  [
    'files',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'winddown-ledger-'));
      dirs.push(dir);
      return new FileLedger(dir);
    },
  ],
  ['memory', () => new MemoryLedger()],
];

describe.each(stores)('the pairing ledger in %s', (_name, make) => {
  test('of twenty claims of one code at the same moment, exactly one wins; it is then known as claimed', async () => {
    const ledger = make();
    const tag = `tag-${Math.random().toString(36).slice(2)}`;
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.claim(tag, `account-${i}`, T)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await ledger.claim(tag, 'late', T + 1000)).toBe(false);
    expect(await ledger.claimed([`other-${tag}`, tag])).toBe(true);
    expect(await ledger.claimed([`other-${tag}`])).toBe(false);
  });

  test('wrong codes count per account in a sliding window and per minute for the skill, none lost when they come at once', async () => {
    const ledger = make();
    const account = `acct-${Math.random().toString(36).slice(2)}`;
    const other = `${account}-other`;
    const minute = Math.floor(T / 60_000 + Math.random() * 1e6) * 60_000;
    await Promise.all([ledger.fail(account, minute), ledger.fail(account, minute + 1), ledger.fail(other, minute + 2)]);
    expect(await ledger.failures(account, minute + 3)).toEqual({ account: 2, skill: 3 });
    expect(await ledger.failures(other, minute + 3)).toEqual({ account: 1, skill: 3 });
    // A minute on, the skill's count starts again; the account's window still holds both.
    expect(await ledger.failures(account, minute + 60_000)).toEqual({ account: 2, skill: 0 });
    // Past the window, they no longer count for the account either.
    expect((await ledger.failures(account, minute + PAIR_WINDOW_MS + 2)).account).toBe(0);
  });
});

test('in DynamoDB the claim is a conditional put, the skill count an atomic counter, and both expire by the table\'s TTL', async () => {
  const ledger = entry.createDynamoLedger(dynamo.table, captureLog());
  expect(await ledger.claim('ttl-tag', 'acct', T)).toBe(true);
  await ledger.fail('acct-ttl', T);
  await ledger.fail('acct-ttl', T + 1);
  const client = entry.createDynamoClient();
  const get = async (id: string): Promise<Record<string, unknown> | undefined> =>
    ((await client.send(new GetCommand({ TableName: dynamo.table, Key: { id } }))) as { Item?: Record<string, unknown> }).Item;
  expect(await get('pairing-claim#ttl-tag')).toEqual({ id: 'pairing-claim#ttl-tag', account: 'acct', at: T, expiresAt: Math.ceil(T / 1000) + 86_400 });
  expect(await get(`pairing-fails#skill#${Math.floor(T / 60_000)}`)).toMatchObject({ count: 2 });
  expect(await get('pairing-fails#acct-ttl')).toMatchObject({ at: [T, T + 1] });
});

test('a table that does not answer makes every ledger call reject (the skill then counts a wrong code and checks none)', async () => {
  const silent = await startSilentServer();
  try {
    Object.assign(process.env, awsEnv(silent.endpoint));
    const ledger = entry.createDynamoLedger('nowhere', captureLog());
    await expect(ledger.failures('acct', T)).rejects.toThrow();
    await expect(ledger.claim('tag', 'acct', T)).rejects.toThrow();
  } finally {
    await silent.close();
  }
});
