import type { RequestEnvelope } from 'ask-sdk-model';

/** Whose attributes a request reads and saves: the Alexa user, as the request names them. */
export function userIdOf(envelope: RequestEnvelope): string {
  return envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId ?? 'anonymous';
}
