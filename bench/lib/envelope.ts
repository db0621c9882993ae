/** Alexa request envelopes for the benches, as the Alexa service sends them to a Lambda. */
import type { RequestEnvelope } from 'ask-sdk-model';

export const BENCH_SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-00000000bench';

/** A question as AskQuestionIntent carries it: the first one an instance gets loads the FAQ. */
export function questionRequest(n: number, apiEndpoint: string, question = 'does relaxation work for back pain'): RequestEnvelope {
  const launch = launchRequest(n, apiEndpoint);
  return {
    ...launch,
    request: {
      type: 'IntentRequest',
      requestId: `amzn1.echo-api.request.bench-q-${n}`,
      timestamp: launch.request.timestamp,
      locale: 'en-US',
      dialogState: 'COMPLETED',
      intent: { name: 'AskQuestionIntent', confirmationStatus: 'NONE', slots: { question: { name: 'question', value: question, confirmationStatus: 'NONE' } } },
    },
  };
}

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
