/**
 * Where persistent attributes live: DynamoDB on Lambda when WINDDOWN_DYNAMODB_TABLE is set, otherwise
 * this process's memory (the local run passes its file store through the handler's options). The
 * DynamoDB adapter is loaded lazily, on the first request that needs it, from the separate bundle next
 * to the skill's (see dynamodb-entry.ts), so a cold start does not load it.
 */
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { SkillConfig } from '../config';
import { silentLog, type Log } from '../log';
import type * as DynamoEntry from './dynamodb-entry';
import { MemoryStore } from './memory-store';
import { MemoryLedger, type PairingLedger } from '../pairing-ledger';
import type { Persistence } from './types';

export type { Persistence };

export type DynamoModule = typeof DynamoEntry;

/** Loads the DynamoDB bundle. In the built Lambda it sits beside index.js as dynamodb.js. */
export function loadDynamo(): DynamoModule {
  // A runtime require by design: the build keeps './dynamodb.js' out of the main bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./dynamodb.js') as DynamoModule;
}


/**
 * Loads the DynamoDB adapter on first use. A bundle or SDK that cannot be loaded is logged and the skill
 * goes on without memory, as with a table that does not answer: the session is still spoken.
 */
class LazyAdapter implements Persistence {
  private adapter: PersistenceAdapter | null = null;
  constructor(
    private readonly create: () => PersistenceAdapter,
    private readonly log: Log,
  ) {}
  private inner(): PersistenceAdapter | null {
    try {
      this.adapter ??= this.create();
    } catch (error) {
      const e = error as { code?: unknown; name?: unknown } | null;
      this.log.error('state.unavailable', { error: typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'unknown' });
    }
    return this.adapter;
  }
  getAttributes(envelope: RequestEnvelope): Promise<Record<string, unknown>> {
    return this.inner()?.getAttributes(envelope) ?? Promise.resolve({});
  }
  saveAttributes(envelope: RequestEnvelope, attributes: Record<string, unknown>): Promise<void> {
    return this.inner()?.saveAttributes(envelope, attributes) ?? Promise.resolve();
  }
  deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    return this.inner()?.deleteAttributes?.(envelope) ?? Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  readFailed(envelope: RequestEnvelope): boolean {
    // A bundle that could not be loaded reads nothing: that is a failed read too.
    const inner: (PersistenceAdapter & { readFailed?(e: RequestEnvelope): boolean }) | null = this.inner();
    return inner === null || (inner.readFailed?.(envelope) ?? false);
  }
}

/** The pairing ledger in the same table (loaded with it), or in memory without one. */
export function createPairingLedger(config: Pick<SkillConfig, 'dynamoTable'>, load: () => DynamoModule = loadDynamo, log?: Log): PairingLedger {
  const table = config.dynamoTable;
  if (table === undefined) return new MemoryLedger();
  let ledger: PairingLedger | null = null;
  // Loaded on the first pairing: a failure to load rejects, and the handler counts that as a wrong code.
  const inner = (): PairingLedger => (ledger ??= load().createDynamoLedger(table, log ?? silentLog));
  return {
    failures: (account, now) => Promise.resolve().then(() => inner().failures(account, now)),
    fail: (account, now) => Promise.resolve().then(() => inner().fail(account, now)),
    claim: (claimId, account, now) => Promise.resolve().then(() => inner().claim(claimId, account, now)),
    claimed: (claimIds) => Promise.resolve().then(() => inner().claimed(claimIds)),
  };
}

export function createPersistence(config: Pick<SkillConfig, 'dynamoTable'>, load: () => DynamoModule = loadDynamo, log?: Log): Persistence {
  const table = config.dynamoTable;
  if (table !== undefined) return new LazyAdapter(() => load().createDynamoAdapter(table, log ?? silentLog), log ?? silentLog);
  log?.warn('state.memory-only', { detail: 'WINDDOWN_DYNAMODB_TABLE is not set: bedtimes and unfinished sessions last only while this instance runs' });
  return new MemoryStore();
}
