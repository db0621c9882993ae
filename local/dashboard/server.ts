/**
 * The local web server: the dashboard page, its live updates (Server-Sent Events from the hub), the
 * utterance box's `POST /api/say`, and the skill's `POST /alexa` endpoint, on one port.
 *
 * `/api/say` drives the lights, so it only takes JSON (a page on another site cannot send that without
 * a CORS preflight, which this server never grants) and refuses a foreign Origin. Before that, every
 * request to `/alexa`, `/api/*` and `/events` passes the request guard (another site's page, a
 * foreign Host, a missing token on `/api/*` and `/events`: 403, nothing done). The page and its files
 * are not guarded: they hold nothing, and the page gets the token from the link printed at start.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readBody, type VerifyMode } from '../alexa-endpoint';
import { accessFor, bearsToken, refusal, TOKEN_COOKIE, tokenMatches, type Access } from '../request-guard';
import type { Conversation } from '../conversation';
import type { Hub } from './hub';
import { packageRoot } from '../package-root';

export interface DashboardServerOptions {
  hub: Hub;
  conversation: Conversation;
  alexa: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  /** How `/alexa` checks signatures (see alexa-endpoint): a request that must be signed may name any host. */
  alexaVerify?: VerifyMode;
  /** This run's token (request-guard.ts). */
  token: string;
  onError?: (error: unknown, where: string) => void;
  /** A request refused by the guard, with why. */
  onRefused?: (why: string, where: string) => void;
}

/** The page's files, shipped in the source tree (local/dashboard/public) for the bundle to serve too. */
export function publicDir(): string {
  return path.join(packageRoot(), 'local/dashboard/public');
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };
const FILES = ['index.html', 'style.css', 'app.js', 'breath-shape.js', 'favicon.svg'];
/** Browsers and tools that ask for the classic icon path get the same picture. */
const ALIASES: Record<string, string> = { '/': '/index.html', '/favicon.ico': '/favicon.svg' };

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

export class DashboardServer {
  private readonly server: http.Server;
  private readonly streams = new Set<http.ServerResponse>();
  private readonly assets = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | null = null;
  /** Turns are taken one at a time, as one person speaks to one device. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set once listening: the names this server answers to, and the run's token. */
  access: Access;

  constructor(private readonly options: DashboardServerOptions) {
    this.access = { hosts: new Set(), token: options.token };
    const dir = publicDir();
    for (const file of FILES) this.assets.set(`/${file}`, readFileSync(path.join(dir, file), 'utf8'));
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        options.onError?.(error, `${req.method} ${req.url}`);
        if (!res.headersSent) send(res, 500, JSON.stringify({ error: 'internal error' }));
        else res.end();
      });
    });
  }

  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.access = accessFor(host, (this.server.address() as AddressInfo).port, this.options.token);
    this.options.hub.subscribe((event) => {
      const data = `event: update\ndata: ${JSON.stringify(event)}\n\n`;
      for (const stream of this.streams) stream.write(data);
    });
    this.heartbeat = setInterval(() => {
      for (const stream of this.streams) stream.write(': still here\n\n');
    }, 15_000);
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const stream of this.streams) stream.end();
    this.streams.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const signed = url.pathname === '/alexa' && (this.options.alexaVerify === 'always' || !bearsToken(req.headers, this.access.token));
    const refused = refusal({ headers: req.headers, path: url.pathname, signed }, this.access);
    if (refused !== null) {
      this.options.onRefused?.(refused, `${method} ${url.pathname}`);
      return send(res, 403, JSON.stringify({ error: refused }));
    }
    const token = url.searchParams.get('token');
    if (method === 'GET' && url.pathname === '/' && token !== null) {
      if (!tokenMatches(token, this.access.token)) return send(res, 403, JSON.stringify({ error: 'wrong token' }));
      // The link printed at start: the browser keeps the token as a cookie no other site's request carries.
      res.writeHead(303, { location: '/', 'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    if (url.pathname === '/alexa') return this.options.alexa(req, res);
    if (method === 'GET' && url.pathname === '/events') return this.events(req, res);
    if (method === 'GET' && url.pathname === '/api/state') return send(res, 200, JSON.stringify(this.options.hub.snapshot()));
    if (url.pathname === '/api/say') {
      if (method !== 'POST') return send(res, 405, JSON.stringify({ error: 'POST only' }));
      return this.say(req, res);
    }
    if (method === 'GET') {
      const file = ALIASES[url.pathname] ?? url.pathname;
      const body = this.assets.get(file);
      if (body !== undefined) return send(res, 200, body, TYPES[path.extname(file)] ?? 'text/plain');
    }
    send(res, 404, JSON.stringify({ error: 'not found' }));
  }

  private events(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\nevent: snapshot\ndata: ${JSON.stringify(this.options.hub.snapshot())}\n\n`);
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  private async say(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return send(res, 415, JSON.stringify({ error: 'expected application/json' }));
    const body = await readBody(req, 16 * 1024);
    let text: unknown;
    try {
      text = body === null ? undefined : (JSON.parse(body) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string' || text.trim() === '' || text.length > 500) return send(res, 400, JSON.stringify({ error: 'expected {"text": "<what you would say to Alexa>"}' }));
    const turn = this.queue.then(() => this.options.conversation.say(text));
    this.queue = turn.catch(() => undefined);
    const view = this.options.hub.addTurn(await turn);
    send(res, 200, JSON.stringify(view));
  }
}
