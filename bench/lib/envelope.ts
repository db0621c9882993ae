/** Alexa request envelopes for the benches, as the Alexa service sends them to a Lambda. */
import type { RequestEnvelope } from 'ask-sdk-model';

export const BENCH_SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-00000000bench';

/** `apiEndpoint`: where the skill's Alexa API calls go (a loopback stand-in, `settings-api.ts`). */
export function launchRequest(n: number, apiEndpoint: string): RequestEnvelope {
  const stamp = new Date().toISOString();
  return {
    version: '1.0',
    session: {
      new: true,
      sessionId: `amzn1.echo-api.session.bench-${n}`,
      application: { applicationId: BENCH_SKILL_ID },
      user: { userId: 'amzn1.ask.account.BENCHUSER' },
      attributes: {},
    },
    context: {
      System: {
        application: { applicationId: BENCH_SKILL_ID },
        user: { userId: 'amzn1.ask.account.BENCHUSER' },
        device: { deviceId: 'amzn1.ask.device.BENCHDEVICE', supportedInterfaces: {} },
        apiEndpoint,
        apiAccessToken: 'bench-token',
      },
    },
    request: { type: 'LaunchRequest', requestId: `amzn1.echo-api.request.bench-${n}`, timestamp: stamp, locale: 'en-US' },
  };
}
