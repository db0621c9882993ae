/**
 * Attributes kept in this process only, for a skill with no table configured: what someone set (a
 * bedtime, where a session stopped) lasts while the Lambda container stays warm. On Lambda the disk is
 * read-only (but /tmp, which is per container anyway), so memory is all there is without DynamoDB; the
 * local run passes its own file store instead (local/skill-file-store.ts).
 */
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Persistence } from './types';
import { userIdOf } from './user-id';

export class MemoryStore implements Persistence {
  /** As JSON, so nobody can change what is stored by changing what they were given. */
  private readonly users = new Map<string, string>();

  getAttributes(envelope: RequestEnvelope): Promise<Record<string, unknown>> {
    const json = this.users.get(userIdOf(envelope));
    return Promise.resolve(json === undefined ? {} : (JSON.parse(json) as Record<string, unknown>));
  }

  saveAttributes(envelope: RequestEnvelope, attributes: Record<string, unknown>): Promise<void> {
    this.users.set(userIdOf(envelope), JSON.stringify(attributes));
    return Promise.resolve();
  }

  deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    this.users.delete(userIdOf(envelope));
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
