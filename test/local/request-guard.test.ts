import { hostname } from 'node:os';
import { accessFor, refusal, TOKEN_COOKIE } from '../../local/request-guard';

describe('request guard', () => {
  const local = accessFor('127.0.0.1', 8787);
  const exposed = accessFor('0.0.0.0', 8787);
  const req = (path: string, headers: Record<string, string>, direct = true, signed = false) => ({ path, headers, direct, signed });

  test('on loopback: this machine\'s names only, and no token', () => {
    expect([...local.hosts].sort()).toEqual(['127.0.0.1:8787', '[::1]:8787', 'localhost:8787']);
    expect(local.token).toBeNull();
    expect(refusal(req('/api/state', { host: 'localhost:8787', origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin' }), local)).toBeNull();
    expect(refusal(req('/api/state', { host: 'localhost:8788' }), local)).toBe('request for another host name');
    expect(refusal(req('/alexa', { host: '127.0.0.1:8787', origin: 'https://127.0.0.1:8787' }), local)).toBe('request from another origin');
    // The page itself and its files are not guarded: a rebound page gets nothing it can use from them.
    expect(refusal(req('/', { host: 'evil.example' }), local)).toBeNull();
  });

  test('beyond loopback: another machine needs the token on /api/* and /events; a signed /alexa may name a tunnel\'s host', () => {
    expect(exposed.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const token = exposed.token ?? '';
    expect(exposed.hosts.has(`${hostname().toLowerCase()}:8787`)).toBe(true);
    const host = { host: '127.0.0.1:8787' };
    expect(refusal(req('/api/state', host, false), exposed)).toBe('missing or wrong token');
    expect(refusal(req('/events', { ...host, authorization: 'Bearer nope' }, false), exposed)).toBe('missing or wrong token');
    expect(refusal(req('/api/state', { ...host, authorization: `Bearer ${token}` }, false), exposed)).toBeNull();
    expect(refusal(req('/api/say', { ...host, cookie: `a=b; ${TOKEN_COOKIE}=${token}` }, false), exposed)).toBeNull();
    // A process on this machine needs none (it could read the state directory anyway).
    expect(refusal(req('/api/state', host, true), exposed)).toBeNull();
    expect(refusal(req('/alexa', { host: 'abc.tunnel.example' }, false, true), exposed)).toBeNull();
    expect(refusal(req('/alexa', { host: 'abc.tunnel.example', 'sec-fetch-site': 'cross-site' }, false, true), exposed)).toMatch(/another site/);
  });
});
