import type { RequestEnvelope } from 'ask-sdk-model';
import { clearTimeZoneCache, deviceTimeZone, isTimeZone, localClock } from '../../../lambda/alexa-apis/time-zone';
import { startAlexaApis, type AlexaApis } from '../../support/alexa-apis';

function envelope(apiEndpoint: string, deviceId = 'device-1', token = 'token-1'): RequestEnvelope {
  return { version: '1.0', context: { System: { apiEndpoint, apiAccessToken: token, device: { deviceId, supportedInterfaces: {} }, application: { applicationId: 'app' } } }, request: { type: 'LaunchRequest', requestId: 'r', timestamp: '', locale: 'en-US' } } as unknown as RequestEnvelope;
}

describe('the device time zone from the Settings API', () => {
  let apis: AlexaApis;
  let t = 1_000_000;
  const now = (): number => t;
  beforeEach(async () => {
    clearTimeZoneCache();
    apis = await startAlexaApis();
  });
  afterEach(() => apis.close());

  it('asks the Settings API with the request token and caches the answer per device', async () => {
    apis.setTimeZone('device-1', 'Europe/London');
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBe('Europe/London');
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBe('Europe/London');
    const asked = apis.calls.filter((c) => c.path.endsWith('System.timeZone'));
    expect(asked).toHaveLength(1);
    expect(asked[0]?.authorization).toBe('Bearer token-1');
    expect(asked[0]?.path).toBe('/v2/devices/device-1/settings/System.timeZone');
  });

  it('asks again once the cached answer is old', async () => {
    apis.setTimeZone('device-1', 'Europe/London');
    await deviceTimeZone(envelope(apis.url), { now });
    apis.setTimeZone('device-1', 'Australia/Sydney');
    t += 7 * 3_600_000;
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBe('Australia/Sydney');
  });

  it('answers null, not an error, when the API fails, is unreachable or says something that is no zone', async () => {
    apis.failNext('/v2/devices', 500);
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBeNull();
    apis.setTimeZone('device-1', 'Not/AZone');
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBeNull();
    apis.setTimeZone('device-1', null);
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBeNull();
    expect(await deviceTimeZone(envelope('http://127.0.0.1:1'), { now })).toBeNull();
    const noSystem = { version: '1.0', context: {}, request: {} } as unknown as RequestEnvelope;
    expect(await deviceTimeZone(noSystem, { now })).toBeNull();
  });

  it('keeps a stale zone when a later ask fails', async () => {
    apis.setTimeZone('device-1', 'Asia/Kolkata');
    await deviceTimeZone(envelope(apis.url), { now });
    t += 7 * 3_600_000;
    apis.failNext('/v2/devices', 503);
    expect(await deviceTimeZone(envelope(apis.url), { now })).toBe('Asia/Kolkata');
  });

  it('reads the wall clock in a zone', () => {
    const at = Date.UTC(2026, 11, 7, 8, 30); // 08:30 UTC is 03:30 in New York (EST)
    expect(localClock(at, 'America/New_York')).toEqual({ hour: 3, minute: 30 });
    expect(localClock(at, 'Asia/Kolkata')).toEqual({ hour: 14, minute: 0 });
    expect(localClock(Date.UTC(2026, 11, 7, 0, 5), 'UTC')).toEqual({ hour: 0, minute: 5 });
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});
