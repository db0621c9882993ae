/**
 * Built into its own file (dist/lambda/dynamodb.js) by scripts/build.mjs: the DynamoDB adapter brings
 * the AWS SDK with it, and only skills configured with WINDDOWN_DYNAMODB_TABLE should pay for loading it.
 */
import type { PersistenceAdapter } from 'ask-sdk-core';
import { DynamoDbPersistenceAdapter } from 'ask-sdk-dynamodb-persistence-adapter';

export function createDynamoAdapter(tableName: string): PersistenceAdapter {
  // The table is created by the deployment (see README, Deploy), never by a request at bedtime.
  return new DynamoDbPersistenceAdapter({ tableName, createTable: false });
}
