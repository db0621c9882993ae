/**
 * Built into its own file (dist/lambda/dynamodb.js) by scripts/build.mjs and required on the first
 * request of a skill configured with WINDDOWN_DYNAMODB_TABLE, so a skill without a table never loads
 * the AWS SDK. The SDK (v3) itself is not in that file: the Lambda Node.js runtime ships it.
 *
 * The client is set up for a table that does not answer: short connection and socket timeouts and one
 * retry, inside the per-request budget DynamoStore enforces. Region, credentials and the endpoint come
 * from the environment as everywhere in the SDK (AWS_REGION, the Lambda role, and
 * AWS_ENDPOINT_URL_DYNAMODB for a local DynamoDB-compatible server).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { Log } from '../log';
import { DynamoStore, REQUEST_BUDGET_MS } from './dynamodb';
import { DynamoLedger } from './dynamodb-ledger';

export const CLIENT_LIMITS = {
  /** A first attempt and one retry; the SDK's default of 3 with back-off would outlive the budget. */
  maxAttempts: 2,
  /** TCP (and TLS) connect; DynamoDB in the Lambda's own region connects in a few ms. */
  connectionTimeout: 400,
  /** Silence on an open socket before the attempt is given up. */
  requestTimeout: 600,
} as const;

export function createDynamoClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    maxAttempts: CLIENT_LIMITS.maxAttempts,
    // Without throwOnRequestTimeout the handler only warns when requestTimeout passes, and keeps waiting.
    requestHandler: { connectionTimeout: CLIENT_LIMITS.connectionTimeout, requestTimeout: CLIENT_LIMITS.requestTimeout, throwOnRequestTimeout: true },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDynamoAdapter(tableName: string, log: Log): PersistenceAdapter {
  // The table is created by the deployment (infrastructure/), never by a request at bedtime.
  return new DynamoStore({ client: createDynamoClient(), tableName, log, budgetMs: REQUEST_BUDGET_MS });
}

export function createDynamoLedger(tableName: string, log: Log): DynamoLedger {
  return new DynamoLedger({ client: createDynamoClient(), tableName, log });
}
