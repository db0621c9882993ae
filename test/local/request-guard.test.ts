import { hostname } from 'node:os';
import { accessFor, bearsToken, newToken, refusal, TOKEN_COOKIE } from '../../local/request-guard';

describe('request guard', () => {
  const token = newToken();
  const local = accessFor('127.0.0.1', 8787, token);
  const exposed = accessFor('0.0.0.0', 8787, token);
  const req = (path: string, headers: Record<string, string>, signed = false) => ({ path, headers, signed });
  const withToken = { authorization: `Bearer ${token}` };

  test("a run's token: 24 random bytes, never the same twice", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken()).not.toBe(token);
  });

  test("on loopback: this machine's names only", () => {
    expect([...local.hosts].sort()).toEqual(['127.0.0.1:8787', '[::1]:8787', 'localhost:8787']);
    expect(refusal(req('/api/state', { host: 'localhost:8787', origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin', ...withToken }), local)).toBeNull();
    expect(refusal(req('/api/state', { host: 'localhost:8788', ...withToken }), local)).toBe('request for another host name');
    expect(refusal(req('/alexa', { host: '127.0.0.1:8787', origin: 'https://127.0.0.1:8787', ...withToken }), local)).toBe('request from another origin');
    // The page itself and its files are not guarded: a rebound page gets nothing it can use from them.
    expect(refusal(req('/', { host: 'evil.example' }), local)).toBeNull();
  });

  test('loopback is not enough: /api/* and /events need the token from anyone, as a header or the cookie', () => {
    const host = { host: '127.0.0.1:8787' };
    for (const access of [local, exposed]) {
      expect(refusal(req('/api/state', host), access)).toBe('missing or wrong token');
      expect(refusal(req('/api/say', host), access)).toBe('missing or wrong token');
      expect(refusal(req('/events', { ...host, authorization: 'Bearer nope' }), access)).toBe('missing or wrong token');
      expect(refusal(req('/events', { ...host, authorization: `Bearer ${token}x` }), access)).toBe('missing or wrong token');
      expect(refusal(req('/api/state', { ...host, ...withToken }), access)).toBeNull();
      expect(refusal(req('/api/say', { ...host, cookie: `a=b; ${TOKEN_COOKIE}=${token}` }), access)).toBeNull();
    }
  });

  test('bearsToken: the exact token, by header or cookie, and nothing else', () => {
    expect(bearsToken(withToken, token)).toBe(true);
    expect(bearsToken({ cookie: `${TOKEN_COOKIE}=${token}` }, token)).toBe(true);
    expect(bearsToken({}, token)).toBe(false);
    expect(bearsToken({ authorization: `Bearer ${token.slice(1)}` }, token)).toBe(false);
    expect(bearsToken({ cookie: `other=${token}` }, token)).toBe(false);
  });

  test("beyond loopback: every name of this machine; a signed /alexa may name a tunnel's host", () => {
    expect(exposed.hosts.has(`${hostname().toLowerCase()}:8787`)).toBe(true);
    expect(refusal(req('/alexa', { host: 'abc.tunnel.example' }, true), exposed)).toBeNull();
    expect(refusal(req('/alexa', { host: 'abc.tunnel.example', 'sec-fetch-site': 'cross-site' }, true), exposed)).toMatch(/another site/);
    // Unsigned (it has the token), it must name this server.
    expect(refusal(req('/alexa', { host: 'abc.tunnel.example', ...withToken }), exposed)).toBe('request for another host name');
  });
});
