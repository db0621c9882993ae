/**
 * A real DynamoDB-compatible server in this process (dynalite, on loopback), with the skill's table
 * made as infrastructure/cfn-deployer/skill-stack.yaml makes it (partition key `id`, a string), and
 * servers that never answer, for the skill's "table unreachable" paths.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export const TABLE = 'winddown-test';

/** The SDK's settings for a local server: dummy credentials, so nothing looks for real ones beyond loopback. */
export function awsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
}

export interface LocalDynamo {
  endpoint: string;
  table: string;
  /** WINDDOWN_DYNAMODB_TABLE and the SDK's settings for this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

interface DynaliteServer {
  listen(port: number, host: string, callback: () => void): void;
  address(): AddressInfo;
  close(callback: () => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
}

export async function startDynalite(table = TABLE): Promise<LocalDynamo> {
  // dynalite has no types; it is a function returning an http.Server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: { createTableMs: number }) => DynaliteServer;
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const close = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  try {
    await createTable(endpoint, table);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, table, env: { WINDDOWN_DYNAMODB_TABLE: table, ...awsEnv(endpoint) }, close };
}

async function createTable(endpoint: string, table: string): Promise<void> {
  const { CreateTableCommand, DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const env = awsEnv(endpoint);
  const client = new DynamoDBClient({
    endpoint,
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  } finally {
    client.destroy();
  }
}

/** A server that accepts connections and never answers: the SDK's request timeouts and our deadline must end the wait. */
export async function startSilentServer(): Promise<{ endpoint: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
