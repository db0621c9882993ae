/**
 * A local stand-in for the Alexa APIs a skill calls with the request's `apiAccessToken`: the Settings
 * API's device time zone and the Reminders API. Tests point the request's `apiEndpoint` at it (it
 * listens on loopback only) and read back what the skill asked for and what it wrote.
 *
 * It answers like the real service: 401 without the bearer token, the JSON shapes of the public API,
 * and whatever status a test scripts with `failNext` (403, 429, 5xx) to check the skill's error words.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface StoredReminder {
  alertToken: string;
  body: Record<string, unknown>;
  createdTime: string;
  updatedTime: string;
}

export interface ApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface AlexaApis {
  /** http://127.0.0.1:<port>: put this in the request's `context.System.apiEndpoint`. */
  readonly url: string;
  readonly calls: ApiCall[];
  readonly reminders: Map<string, StoredReminder>;
  /** The zone each device answers (default: the zone given at start, or 404 when none). */
  setTimeZone(deviceId: string, zone: string | null): void;
  /** The next `count` calls whose path starts with `prefix` answer `status` (then normal service resumes). */
  failNext(prefix: string, status: number, count?: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startAlexaApis(options: { token?: string; defaultTimeZone?: string | null } = {}): Promise<AlexaApis> {
  const zones = new Map<string, string | null>();
  const reminders = new Map<string, StoredReminder>();
  const calls: ApiCall[] = [];
  const failures: { prefix: string; status: number; left: number }[] = [];
  const defaultZone = options.defaultTimeZone === undefined ? 'America/New_York' : options.defaultTimeZone;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const body = await readBody(req);
      calls.push({ method: req.method ?? 'GET', path: url.pathname, authorization: req.headers.authorization, body });
      const send = (status: number, payload?: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
        send(401, { code: 'INVALID_BEARER_TOKEN', message: 'Invalid token' });
        return;
      }
      if (req.headers.authorization === undefined) {
        send(401, { code: 'INVALID_BEARER_TOKEN', message: 'No token' });
        return;
      }
      const failure = failures.find((f) => url.pathname.startsWith(f.prefix) && f.left > 0);
      if (failure !== undefined) {
        failure.left -= 1;
        send(failure.status, { code: failure.status === 403 ? 'ACCESS_DENIED' : failure.status === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL_SERVER_ERROR', message: 'scripted' });
        return;
      }
      const zoneMatch = /^\/v2\/devices\/([^/]+)\/settings\/System\.timeZone$/.exec(url.pathname);
      if (zoneMatch !== null && req.method === 'GET') {
        const deviceId = decodeURIComponent(zoneMatch[1] ?? '');
        const zone = zones.has(deviceId) ? zones.get(deviceId) : defaultZone;
        if (zone === null || zone === undefined) send(404, { code: 'NOT_FOUND', message: 'no time zone' });
        else send(200, zone);
        return;
      }
      if (url.pathname === '/v1/alerts/reminders' && req.method === 'POST') {
        const now = new Date().toISOString();
        const alertToken = randomUUID();
        reminders.set(alertToken, { alertToken, body: body as Record<string, unknown>, createdTime: now, updatedTime: now });
        send(201, { alertToken, createdTime: now, updatedTime: now, status: 'ON', version: '1', href: `/v1/alerts/reminders/${alertToken}` });
        return;
      }
      if (url.pathname === '/v1/alerts/reminders' && req.method === 'GET') {
        send(200, { totalCount: String(reminders.size), alerts: [...reminders.values()].map((r) => ({ alertToken: r.alertToken, ...r.body })) });
        return;
      }
      const one = /^\/v1\/alerts\/reminders\/([^/]+)$/.exec(url.pathname);
      if (one !== null) {
        const token = decodeURIComponent(one[1] ?? '');
        const existing = reminders.get(token);
        if (existing === undefined) {
          send(404, { code: 'ALERT_NOT_FOUND', message: 'no such reminder' });
          return;
        }
        if (req.method === 'DELETE') {
          reminders.delete(token);
          send(200);
          return;
        }
        if (req.method === 'PUT') {
          const now = new Date().toISOString();
          reminders.set(token, { ...existing, body: body as Record<string, unknown>, updatedTime: now });
          send(200, { alertToken: token, createdTime: existing.createdTime, updatedTime: now, status: 'ON', version: '2' });
          return;
        }
        if (req.method === 'GET') {
          send(200, { alertToken: token, ...existing.body });
          return;
        }
      }
      send(404, { code: 'NOT_FOUND', message: `no route ${req.method ?? ''} ${url.pathname}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    reminders,
    setTimeZone: (deviceId, zone) => zones.set(deviceId, zone),
    failNext: (prefix, status, count = 1) => failures.push({ prefix, status, left: count }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
