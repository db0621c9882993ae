/**
 * Who may make the local server act. Every web page the user opens can send requests to a server on
 * their machine: a form or a `no-cors` fetch reaches `POST /alexa` without any preflight, and a page
 * whose name is re-pointed at 127.0.0.1 (DNS rebinding) even reads the answers. So before `/alexa`,
 * `/api/*` or `/events` act or answer, the request must not come from another site (`Origin`,
 * `Sec-Fetch-Site`) and must name this server (`Host`).
 *
 * Coming from loopback proves nothing: a raw TCP tunnel (`ssh -R`, bore) hands a remote caller's bytes
 * to this server from 127.0.0.1, with whatever `Host` the caller wrote. So every run makes a token of
 * its own, and `/api/*`, `/events` and an unsigned `/alexa` need it, from any address: sent as
 * `Authorization: Bearer`, or the cookie set by opening the dashboard's `/?token=` link that `winddown
 * start` prints. `winddown say` reads it from a file in the run's state directory only its user can
 * read. Without it, `/alexa` answers only what Alexa signed.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

export const TOKEN_COOKIE = 'winddown_token';

export interface Access {
  /** Host header values (host:port) this server answers to. */
  hosts: ReadonlySet<string>;
  /** This run's token, required on `/api/*` and `/events` and for an unsigned `/alexa`. */
  token: string;
}

export interface GuardedRequest {
  headers: IncomingHttpHeaders;
  /** The path, without the query. */
  path: string;
  /** A `/alexa` request that must carry a valid Alexa signature (it has no token, or every one must). */
  signed: boolean;
}

/** A new run's token: 24 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** Whether an address to listen on keeps the server to this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host.replace(/^\[|\]$/g, ''));
}

const bracket = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** The names a browser may use for this server, with the run's token. */
export function accessFor(listenHost: string, port: number, token: string): Access {
  const names = new Set<string>([listenHost]);
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '';
  if (isLoopbackHost(listenHost) || wildcard) for (const name of ['127.0.0.1', 'localhost', '::1']) names.add(name);
  if (wildcard) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address);
    names.add(hostname());
    names.add(`${hostname()}.local`);
  }
  const hosts = new Set([...names].filter(Boolean).map((n) => `${bracket(n.replace(/^\[|\]$/g, '')).toLowerCase()}:${port}`));
  return { hosts, token };
}

function tokenOf(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return null;
}

export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether a request carries the run's token (header or cookie). */
export function bearsToken(headers: IncomingHttpHeaders, token: string): boolean {
  return tokenMatches(tokenOf(headers), token);
}

/** Why this request must be refused (403, nothing done), or null when it may go on. */
export function refusal(req: GuardedRequest, access: Access): string | null {
  const guarded = req.path === '/alexa' || req.path.startsWith('/api/') || req.path === '/events';
  if (!guarded) return null;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `request from another site (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      const u = new URL(origin);
      host = u.protocol === 'http:' ? u.host.toLowerCase() : null;
    } catch {
      host = null;
    }
    if (host === null || !access.hosts.has(host)) return 'request from another origin';
  }
  // A signed /alexa request (through a tunnel, or from another machine) may name the tunnel's host.
  const host = (req.headers.host ?? '').toLowerCase();
  if (!req.signed && !access.hosts.has(host)) return 'request for another host name';
  if (req.path !== '/alexa' && !bearsToken(req.headers, access.token)) return 'missing or wrong token';
  return null;
}
