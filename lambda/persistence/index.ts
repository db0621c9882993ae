/**
 * Where persistent attributes live: DynamoDB on Lambda when WINDDOWN_DYNAMODB_TABLE is set, otherwise
 * local JSON files. The DynamoDB adapter is loaded lazily, on the first request that needs it, from
 * the separate bundle next to the skill's (see dynamodb-entry.ts), so a cold start does not load it.
 */
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { SkillConfig } from '../config';
import type * as DynamoEntry from './dynamodb-entry';
import { FileStore } from './file-store';

type DynamoModule = typeof DynamoEntry;

/** Loads the DynamoDB bundle. In the built Lambda it sits beside index.js as dynamodb.js. */
function loadDynamo(): DynamoModule {
  // A runtime require by design: the build keeps './dynamodb.js' out of the main bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./dynamodb.js') as DynamoModule;
}

class LazyAdapter implements PersistenceAdapter {
  private adapter: PersistenceAdapter | null = null;
  constructor(private readonly create: () => PersistenceAdapter) {}
  private get inner(): PersistenceAdapter {
    this.adapter ??= this.create();
    return this.adapter;
  }
  getAttributes(envelope: RequestEnvelope): Promise<Record<string, unknown>> {
    return this.inner.getAttributes(envelope);
  }
  saveAttributes(envelope: RequestEnvelope, attributes: Record<string, unknown>): Promise<void> {
    return this.inner.saveAttributes(envelope, attributes);
  }
  deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    return this.inner.deleteAttributes?.(envelope) ?? Promise.resolve();
  }
}

export function createPersistence(config: Pick<SkillConfig, 'dynamoTable' | 'stateDir'>, load: () => DynamoModule = loadDynamo): PersistenceAdapter {
  const table = config.dynamoTable;
  if (table !== undefined) return new LazyAdapter(() => load().createDynamoAdapter(table));
  return new FileStore(config.stateDir);
}

export { FileStore };
