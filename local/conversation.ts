/**
 * One person talking to the skill through the local run: typed text becomes the request envelope
 * Alexa would send (through the real interaction model), goes to the real handler, and the reply comes
 * back with its speech as text. Keeps the Alexa session between turns like a device does: the
 * session's attributes while the skill keeps the microphone open, and a slot the skill asked for.
 */
import { randomUUID } from 'node:crypto';
import type { RequestEnvelope, ResponseEnvelope, ui } from 'ask-sdk-model';
import { ssmlToTranscript, transcriptText, type Transcript } from './transcript';
import type { UtteranceMatcher, Utterance } from './utterances';

export type SkillInvoker = (envelope: RequestEnvelope) => Promise<ResponseEnvelope>;

export interface Turn {
  text: string;
  /** What the utterance resolved to: "LaunchRequest" or the intent name, with slot values. */
  resolved: { request: Utterance['type']; intent: string | null; slots: Record<string, string> };
  speech: string;
  transcript: Transcript;
  reprompt: string | null;
  /** Whether the skill keeps listening for an answer. */
  listening: boolean;
  /** When the reply was received (epoch ms). */
  at: number;
  /** The raw response, for tools that want the directives. */
  response: ResponseEnvelope;
}

export interface ConversationOptions {
  invoke: SkillInvoker;
  matcher: UtteranceMatcher;
  locale?: string;
  applicationId?: string;
  userId?: string;
  deviceId?: string;
  now?: () => number;
}

interface OpenSession {
  id: string;
  attributes: Record<string, unknown>;
  elicit?: { intent: string; slot: string };
  turns: number;
}

function speechOf(output: ui.OutputSpeech | undefined): string {
  if (!output) return '';
  return output.type === 'SSML' ? output.ssml : `<speak>${output.text}</speak>`;
}

export class Conversation {
  private session: OpenSession | null = null;
  private readonly now: () => number;
  private readonly applicationId: string;
  private readonly userId: string;
  private readonly deviceId: string;
  private readonly locale: string;

  constructor(private readonly options: ConversationOptions) {
    this.now = options.now ?? Date.now;
    this.applicationId = options.applicationId ?? 'amzn1.ask.skill.local-winddown';
    this.userId = options.userId ?? 'amzn1.ask.account.LOCAL_WINDDOWN_USER';
    this.deviceId = options.deviceId ?? 'amzn1.ask.device.LOCAL_WINDDOWN_DASHBOARD';
    this.locale = options.locale ?? 'en-US';
  }

  get open(): boolean {
    return this.session !== null;
  }

  async say(text: string): Promise<Turn> {
    const utterance = this.options.matcher.match(text, this.session?.elicit);
    // A launch always opens a new session, as "Alexa, open wind down" does on a device.
    if (utterance.type === 'LaunchRequest') this.session = null;
    const session = this.session ?? { id: `amzn1.echo-api.session.${randomUUID()}`, attributes: {}, turns: 0 };
    const envelope = this.envelope(utterance, session);
    const response = await this.options.invoke(envelope);
    const body = response.response;
    const ssml = speechOf(body.outputSpeech);
    const transcript = ssmlToTranscript(ssml);
    const listening = body.shouldEndSession === false;
    const elicit = body.directives?.find((d) => d.type === 'Dialog.ElicitSlot') as { slotToElicit?: string; updatedIntent?: { name: string } } | undefined;
    if (listening) {
      this.session = {
        id: session.id,
        attributes: response.sessionAttributes ?? {},
        turns: session.turns + 1,
        ...(elicit?.slotToElicit && utterance.type === 'IntentRequest'
          ? { elicit: { intent: elicit.updatedIntent?.name ?? utterance.intent.name, slot: elicit.slotToElicit } }
          : {}),
      };
    } else {
      this.session = null;
    }
    const slots: Record<string, string> = {};
    if (utterance.type === 'IntentRequest') {
      for (const [name, slot] of Object.entries(utterance.intent.slots ?? {})) if (slot.value) slots[name] = slot.value;
    }
    return {
      text,
      resolved: { request: utterance.type, intent: utterance.type === 'IntentRequest' ? utterance.intent.name : null, slots },
      speech: transcriptText(transcript),
      transcript,
      reprompt: body.reprompt?.outputSpeech ? transcriptText(ssmlToTranscript(speechOf(body.reprompt.outputSpeech))) : null,
      listening,
      at: this.now(),
      response,
    };
  }

  private envelope(utterance: Utterance, session: OpenSession): RequestEnvelope {
    const application = { applicationId: this.applicationId };
    const user = { userId: this.userId };
    const base = { requestId: `amzn1.echo-api.request.${randomUUID()}`, timestamp: new Date(this.now()).toISOString(), locale: this.locale };
    const request: RequestEnvelope['request'] =
      utterance.type === 'LaunchRequest'
        ? { type: 'LaunchRequest', ...base }
        : { type: 'IntentRequest', ...base, dialogState: session.elicit ? 'IN_PROGRESS' : 'STARTED', intent: utterance.intent };
    return {
      version: '1.0',
      session: { new: session.turns === 0, sessionId: session.id, application, user, attributes: session.attributes },
      context: {
        System: {
          application,
          user,
          // The dashboard draws what an Echo Show would: it asks for the breathing shape (APL).
          device: { deviceId: this.deviceId, supportedInterfaces: { 'Alexa.Presentation.APL': { runtime: { maxVersion: '2023.3' } } } },
          apiEndpoint: 'http://127.0.0.1',
          apiAccessToken: '',
        },
      },
      request,
    };
  }
}
