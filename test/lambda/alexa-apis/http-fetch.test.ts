/**
 * The skill's own small fetch for the Alexa APIs, against the loopback stand-in: the device's zone read
 * through it, an error status seen as such, and an address that is no http(s) URL or does not answer
 * refused rather than hung.
 */
import type { RequestEnvelope } from 'ask-sdk-model';
import { httpFetch } from '../../../lambda/alexa-apis/http-fetch';
import { clearTimeZoneCache, deviceTimeZone } from '../../../lambda/alexa-apis/time-zone';
import { startAlexaApis, type AlexaApis } from '../../support/alexa-apis';

let apis: AlexaApis;
beforeAll(async () => {
  apis = await startAlexaApis({ defaultTimeZone: 'Australia/Sydney' });
});
afterAll(() => apis.close());

const envelope = (apiEndpoint: string): RequestEnvelope =>
  ({ context: { System: { apiEndpoint, apiAccessToken: 'token-9', device: { deviceId: 'echo-9' } } } }) as unknown as RequestEnvelope;

it('reads the device zone with the request token', async () => {
  clearTimeZoneCache();
  expect(await deviceTimeZone(envelope(apis.url), { now: () => 1, fetch: httpFetch })).toBe('Australia/Sydney');
  expect(apis.calls.at(-1)).toMatchObject({ method: 'GET', path: '/v2/devices/echo-9/settings/System.timeZone', authorization: 'Bearer token-9' });
});

it('answers an error status as not ok, with its status', async () => {
  apis.failNext('/v2/devices', 503);
  const res = await httpFetch(`${apis.url}/v2/devices/echo-9/settings/System.timeZone`, { headers: { authorization: 'Bearer t' } });
  expect(res).toMatchObject({ ok: false, status: 503 });
  expect(await res.json()).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
});

it('sends a body with its method', async () => {
  const res = await httpFetch(`${apis.url}/v1/alerts/reminders`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ a: 1 }) });
  expect(res.status).toBe(201);
  expect(apis.calls.at(-1)).toMatchObject({ method: 'POST', body: { a: 1 } });
});

it('refuses what is not http(s), and an address where nothing listens', async () => {
  await expect(httpFetch('file:///etc/passwd')).rejects.toThrow('not an http(s) URL');
  await expect(httpFetch('http://127.0.0.1:1/')).rejects.toThrow();
});
