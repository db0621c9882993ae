/**
 * Persistent attributes in DynamoDB, through the AWS SDK v3 document client: one item per Alexa user,
 * `{ id: <userId>, attributes: {...} }`, the layout the ASK SDK's own DynamoDB adapter used, so a table
 * it filled keeps working.
 *
 * A table that does not answer must never cost the session. Each request has one time budget for its
 * read and its write together (1.5 s unless told otherwise): a call that outlives what is left is
 * abandoned, logged by its error name only, and the request goes on. A failed read answers "nothing
 * remembered" and the same request's write is skipped, so what the table holds is never overwritten
 * with a partial picture; a failed write leaves the table as it was.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';
import type { Log } from '../log';

type Attributes = Record<string, unknown>;

/** The part of DynamoDBDocumentClient this store uses. */
export interface DocumentSender {
  send(command: GetCommand | PutCommand | DeleteCommand, options: { abortSignal: AbortSignal }): Promise<unknown>;
}

export interface DynamoStoreOptions {
  client: DocumentSender;
  tableName: string;
  log: Log;
  /** What the read and the write of one request may cost together, in ms. */
  budgetMs?: number;
  /** A write after a read that succeeded gets at least this long, even when the read was slow. */
  minWriteMs?: number;
  now?: () => number;
}

export const REQUEST_BUDGET_MS = 1500;
const MIN_WRITE_MS = 300;
/** Requests read but not yet saved; a request that never saves leaves its entry, so keep only the newest. */
const TRACKED_REQUESTS = 64;

interface RequestTrack {
  startedAt: number;
  readOk: boolean;
}

class Deadline extends Error {
  override readonly name = 'TimeoutError';
}

export class DynamoStore implements PersistenceAdapter {
  private readonly requests = new Map<string, RequestTrack>();
  private readonly budgetMs: number;
  private readonly minWriteMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DynamoStoreOptions) {
    this.budgetMs = options.budgetMs ?? REQUEST_BUDGET_MS;
    this.minWriteMs = options.minWriteMs ?? MIN_WRITE_MS;
    this.now = options.now ?? Date.now;
  }

  async getAttributes(envelope: RequestEnvelope): Promise<Attributes> {
    const track: RequestTrack = { startedAt: this.now(), readOk: false };
    this.remember(requestIdOf(envelope), track);
    try {
      const out = (await this.call(this.budgetMs, (abortSignal) =>
        this.options.client.send(new GetCommand({ TableName: this.options.tableName, Key: { id: userIdOf(envelope) }, ConsistentRead: true }), { abortSignal }),
      )) as { Item?: { attributes?: unknown } };
      track.readOk = true;
      const attributes = out.Item?.attributes;
      return typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes) ? (attributes as Attributes) : {};
    } catch (error) {
      this.options.log.warn('state.read-failed', describe(error));
      return {};
    }
  }

  async saveAttributes(envelope: RequestEnvelope, attributes: Attributes): Promise<void> {
    const ms = this.writeBudget(envelope);
    if (ms === null) return;
    try {
      await this.call(ms, (abortSignal) =>
        this.options.client.send(new PutCommand({ TableName: this.options.tableName, Item: { id: userIdOf(envelope), attributes } }), { abortSignal }),
      );
    } catch (error) {
      this.options.log.warn('state.save-failed', describe(error));
    }
  }

  async deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    const ms = this.writeBudget(envelope);
    if (ms === null) return;
    try {
      await this.call(ms, (abortSignal) => this.options.client.send(new DeleteCommand({ TableName: this.options.tableName, Key: { id: userIdOf(envelope) } }), { abortSignal }));
    } catch (error) {
      this.options.log.warn('state.delete-failed', describe(error));
    }
  }

  /** Whether this request's read failed: its attributes are then "nothing remembered", not the truth. */
  readFailed(envelope: RequestEnvelope): boolean {
    return this.requests.get(requestIdOf(envelope))?.readOk === false;
  }

  /** How long this request's write may take, or null when it must be skipped (its read failed). */
  private writeBudget(envelope: RequestEnvelope): number | null {
    const id = requestIdOf(envelope);
    const track = this.requests.get(id);
    this.requests.delete(id);
    if (track === undefined) return this.budgetMs; // written without a read in this request
    if (!track.readOk) {
      this.options.log.warn('state.save-skipped', { reason: 'read-failed' });
      return null;
    }
    return Math.max(this.budgetMs - (this.now() - track.startedAt), this.minWriteMs);
  }

  private remember(id: string, track: RequestTrack): void {
    this.requests.delete(id);
    this.requests.set(id, track);
    while (this.requests.size > TRACKED_REQUESTS) this.requests.delete(this.requests.keys().next().value as string);
  }

  /** Runs one SDK call, abandoning (and aborting) it when `ms` have passed, whatever the SDK's own retries do. */
  private async call<T>(ms: number, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Deadline(`no answer within ${ms} ms`));
      }, ms);
    });
    try {
      return await Promise.race([send(controller.signal), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function userIdOf(envelope: RequestEnvelope): string {
  const id = envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId;
  if (typeof id !== 'string' || id === '') throw new Error('the request names no user');
  return id;
}

function requestIdOf(envelope: RequestEnvelope): string {
  return envelope.request?.requestId ?? '';
}

/** Only the error's name, code and the attempts made: never its message, which can carry keys or ARNs. */
function describe(error: unknown): { error: string; attempts?: number } {
  const e = error as { name?: unknown; code?: unknown; $metadata?: { attempts?: unknown } } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof e?.code === 'string' ? e.code : 'unknown';
  const attempts = e?.$metadata?.attempts;
  return typeof attempts === 'number' ? { error: name, attempts } : { error: name };
}
