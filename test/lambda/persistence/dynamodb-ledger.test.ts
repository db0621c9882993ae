/**
 * The pairing ledger in DynamoDB (dynalite, through the SDK v3, as on Lambda): every ledger's rules, the
 * claim as a conditional put and the skill's count as an atomic counter, both expiring by the table's
 * TTL, and a table that does not answer.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as entry from '../../../lambda/persistence/dynamodb-entry';
import { awsEnv, startDynalite, startSilentServer, type LocalDynamo } from '../../support/dynalite';
import { LEDGER_T0 as T, ledgerContract } from '../../support/pairing-ledger-contract';
import { captureLog } from '../helpers';

let dynamo: LocalDynamo;
let savedEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(() => {
  savedEnv = { ...process.env };
  Object.assign(process.env, awsEnv(dynamo.endpoint));
});
afterEach(() => {
  process.env = savedEnv;
});

describe('the pairing ledger in DynamoDB', () => {
  ledgerContract(() => entry.createDynamoLedger(dynamo.table, captureLog()));
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
