import type { RequestEnvelope } from 'ask-sdk-model';
import type { PersistenceAdapter } from 'ask-sdk-core';

/** A persistence adapter that can be waited on until its writes have landed (local files write behind; DynamoDB writes are awaited in the request). */
export type Persistence = PersistenceAdapter & {
  flush(): Promise<void>;
  /** true when this request's read failed (and "nothing remembered" was answered instead); stores that cannot fail omit it. */
  readFailed?(envelope: RequestEnvelope): boolean;
};
