/**
 * The pairing ledger (lambda/pairing-ledger.ts) in the skill's DynamoDB table, beside the users' items
 * and apart from them by the prefix of their `id`:
 *
 * - `pairing-claim#<code tag>`: put only if absent (`attribute_not_exists(id)`), so of two accounts
 *   saying one code at once exactly one put succeeds;
 * - `pairing-fails#<account>`: the times of the account's wrong codes, appended atomically
 *   (`list_append`), read with a strongly consistent read;
 * - `pairing-fails#skill#<minute>`: the skill's wrong codes in that minute, an atomic counter (`ADD`).
 *
 * Every item carries `expiresAt` (epoch seconds), the table's TTL attribute, so DynamoDB removes it a
 * day later. The same short timeouts as the attributes' store: a table that does not answer rejects,
 * and the handler counts that as a wrong code.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Log } from '../log';
import { LEDGER_KEEP_MS, minuteOf, PAIR_MAX_FAILURES, withinWindow, type FailureCounts, type PairingLedger } from '../pairing-ledger';

export interface LedgerSender {
  send(command: GetCommand | PutCommand | UpdateCommand, options: { abortSignal: AbortSignal }): Promise<unknown>;
}

/** An account's list is rewritten with only its recent times once it holds more than this. */
const ACCOUNT_LIST_TRIM = 4 * PAIR_MAX_FAILURES;

export class DynamoLedger implements PairingLedger {
  constructor(
    private readonly options: { client: LedgerSender; tableName: string; log: Log; timeoutMs?: number },
  ) {}

  async failures(account: string, now: number): Promise<FailureCounts> {
    const [mine, skill] = (await Promise.all([this.get(`pairing-fails#${account}`), this.get(`pairing-fails#skill#${minuteOf(now)}`)])) as [
      { at?: unknown } | undefined,
      { count?: unknown } | undefined,
    ];
    const times = Array.isArray(mine?.at) ? mine.at.filter((t): t is number => typeof t === 'number') : [];
    const recent = withinWindow(times, now);
    // Kept short without losing a count: replaced only if no failure was appended since this read.
    if (times.length > ACCOUNT_LIST_TRIM) await this.trim(account, times.length, recent, now).catch(() => undefined);
    return { account: recent.length, skill: typeof skill?.count === 'number' ? skill.count : 0 };
  }

  async fail(account: string, now: number): Promise<void> {
    const expiresAt = Math.ceil((now + LEDGER_KEEP_MS) / 1000);
    await Promise.all([
      this.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { id: `pairing-fails#${account}` },
          UpdateExpression: 'SET #at = list_append(if_not_exists(#at, :none), :now), expiresAt = :expires',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':none': [], ':now': [now], ':expires': expiresAt },
        }),
      ),
      this.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { id: `pairing-fails#skill#${minuteOf(now)}` },
          UpdateExpression: 'ADD #count :one SET expiresAt = :expires',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':expires': expiresAt },
        }),
      ),
    ]);
  }

  async claimed(claimIds: readonly string[]): Promise<boolean> {
    const items = await Promise.all(claimIds.map((id) => this.get(`pairing-claim#${id}`)));
    return items.some((item) => item !== undefined);
  }

  async claim(claimId: string, account: string, now: number): Promise<boolean> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { id: `pairing-claim#${claimId}`, account, at: now, expiresAt: Math.ceil((now + LEDGER_KEEP_MS) / 1000) },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async trim(account: string, seen: number, recent: number[], now: number): Promise<void> {
    await this.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { id: `pairing-fails#${account}` },
        UpdateExpression: 'SET #at = :recent',
        ConditionExpression: 'size(#at) = :seen',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':recent': recent, ':seen': seen },
      }),
    );
    this.options.log.info('pairing.ledger-trimmed', { kept: recent.length, at: now });
  }

  private async get(id: string): Promise<Record<string, unknown> | undefined> {
    const out = (await this.send(new GetCommand({ TableName: this.options.tableName, Key: { id }, ConsistentRead: true }))) as { Item?: Record<string, unknown> };
    return out.Item;
  }

  private async send(command: GetCommand | PutCommand | UpdateCommand): Promise<unknown> {
    const controller = new AbortController();
    const ms = this.options.timeoutMs ?? 1500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' }));
      }, ms);
    });
    try {
      return await Promise.race([this.options.client.send(command, { abortSignal: controller.signal }), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
