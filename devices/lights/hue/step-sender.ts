/**
 * Light commands straight to the Hue bridge's v1 REST API over one kept-alive connection, for steps
 * that must land on a deadline. node-hue-api passes each command through two Bottleneck queues and
 * axios: about 8 ms of timer hops when all is quiet and tens of milliseconds with other load, and the
 * first command of a process also paid for compiling that whole path. Here a command is one
 * `http.request` on a connection opened (and the code path run once) when the lamps are read, before
 * the first step is due.
 *
 * Hue's rate guidance is kept as node-hue-api keeps it: group commands at least 1 s apart, light
 * commands 60 ms apart. A command that is free to go goes at once, without a timer hop.
 */
import http from 'node:http';
import https from 'node:https';
import { LightsError } from '../types';

/** node-hue-api's own spacing (its group and light state queues). */
export const GROUP_SPACING_MS = 1000;
export const LIGHT_SPACING_MS = 60;

export interface StepSenderOptions {
  /** The bridge's API root, `…/api`, as node-hue-api's transport has it. */
  baseUrl: string;
  username: string;
  /** For HTTPS, node-hue-api's agent (which checks the bridge id) or the certificate pin's. */
  agent?: http.Agent;
  timeoutMs: number;
}

type Kind = 'group' | 'light';

interface HueResult {
  success?: unknown;
  error?: { type?: unknown; description?: unknown };
}

export class StepSender {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly secure: boolean;
  private readonly freeAt: Record<Kind, number> = { group: 0, light: 0 };

  constructor(private readonly options: StepSenderOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.secure = this.base.protocol === 'https:';
    // Kept alive, so a step reuses the connection the read (and `warm`) opened instead of a new handshake.
    this.agent = options.agent ?? (this.secure ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 }));
  }

  group(id: string, state: Record<string, unknown>): Promise<void> {
    return this.command('group', `groups/${id}/action`, state);
  }

  light(id: number, state: Record<string, unknown>): Promise<void> {
    return this.command('light', `lights/${id}/state`, state);
  }

  /**
   * Opens the connection and runs the request path once, with a read of `path` (a light or group the
   * session drives), so the first step does not pay for either.
   */
  async warm(path: string): Promise<void> {
    await this.request('GET', path, undefined);
  }

  close(): void {
    this.agent.destroy();
  }

  private async command(kind: Kind, path: string, state: Record<string, unknown>): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.freeAt[kind]);
    this.freeAt[kind] = at + (kind === 'group' ? GROUP_SPACING_MS : LIGHT_SPACING_MS);
    if (at > now) await new Promise<void>((resolve) => setTimeout(resolve, at - now));
    const results = await this.request('PUT', path, JSON.stringify(state));
    const failed = Array.isArray(results) ? (results as HueResult[]).find((r) => r.error !== undefined) : undefined;
    if (failed?.error) {
      const type = typeof failed.error.type === 'number' ? failed.error.type : undefined;
      const error = new LightsError(`Hue: ${typeof failed.error.description === 'string' ? failed.error.description : 'command refused'}${type === undefined ? '' : ` (Hue error ${type})`}`);
      if (type !== undefined) error.hueErrorType = type;
      throw error;
    }
  }

  /** One request; a kept-alive connection the bridge closed meanwhile is retried once on a new one. */
  private async request(method: 'GET' | 'PUT', path: string, body: string | undefined): Promise<unknown> {
    try {
      return await this.once(method, path, body);
    } catch (error) {
      if ((error as { reusedSocket?: boolean }).reusedSocket !== true) throw error;
      return this.once(method, path, body);
    }
  }

  private once(method: 'GET' | 'PUT', path: string, body: string | undefined): Promise<unknown> {
    const url = new URL(`${encodeURIComponent(this.options.username)}/${path}`, this.base);
    const send = this.secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      // One options object, the oldest form: every library that wraps http.request understands it.
      const req = send({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        path: url.pathname,
        method,
        agent: this.agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.setTimeout(this.options.timeoutMs, () => req.destroy(new LightsError(`Hue: no answer within ${this.options.timeoutMs} ms`)));
      req.once('error', (error: NodeJS.ErrnoException) => {
        // Node's advice for kept-alive connections: a reset on a reused socket is the bridge having closed it.
        reject(error.code === 'ECONNRESET' && req.reusedSocket ? Object.assign(new LightsError('Hue: connection closed by the bridge'), { reusedSocket: true }) : error);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => {
          if (res.statusCode !== 200) return reject(new LightsError(`Hue: HTTP ${res.statusCode ?? 'error'}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new LightsError('Hue: the bridge answered with something that is not JSON'));
          }
        });
      });
      req.end(body);
    });
  }
}
