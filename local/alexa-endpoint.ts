/**
 * `POST /alexa`: the skill's handler as an HTTPS-style web service endpoint, as Alexa calls a skill that
 * is hosted outside Lambda. A request envelope in, a response envelope out.
 *
 * Alexa signs every request; a service must check the signature (the certificate chain Amazon names,
 * the body's hash) and that the timestamp is within 150 s. Both checks run, with ask-sdk-express-
 * adapter's verifiers, on every request that does not carry this run's own token (request-guard.ts).
 * Where a request comes from proves nothing: through a raw TCP tunnel (`ssh -R`, bore) a caller
 * anywhere arrives from 127.0.0.1 with no forwarding header at all. A refused request gets 401 and the
 * skill never sees it. `verify: 'always'` checks every request, token or not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestEnvelope } from 'ask-sdk-model';
import { SkillRequestSignatureVerifier, TimestampVerifier, type Verifier } from 'ask-sdk-express-adapter';
import type { SkillInvoker } from './conversation';

export type VerifyMode = 'remote' | 'always';

export interface AlexaEndpointOptions {
  invoke: SkillInvoker;
  /** Which requests need a valid signature and timestamp (default `remote`: all but those with the token). */
  verify?: VerifyMode;
  /** Whether a request carries this run's own token (the dashboard's); without this, every request is checked. */
  bearsToken?: (req: IncomingMessage) => boolean;
  verifiers?: Verifier[];
  onError?: (error: unknown, phase: 'verify' | 'invoke') => void;
}

/** The largest request envelope accepted; Alexa's are a few KB. */
export const MAX_REQUEST_BYTES = 256 * 1024;

export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function createAlexaEndpoint(options: AlexaEndpointOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const verifiers = options.verifiers ?? [new SkillRequestSignatureVerifier(), new TimestampVerifier()];
  const mode = options.verify ?? 'remote';
  return async (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' });
      res.end();
      return;
    }
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === null) return sendJson(res, 413, { error: 'request too large' });
    if (mode === 'always' || options.bearsToken?.(req) !== true) {
      try {
        for (const verifier of verifiers) await verifier.verify(body, req.headers);
      } catch (error) {
        options.onError?.(error, 'verify');
        return sendJson(res, 401, { error: "not signed by Alexa, and without this run's token" });
      }
    }
    let envelope: RequestEnvelope;
    try {
      envelope = JSON.parse(body) as RequestEnvelope;
      if (typeof envelope !== 'object' || envelope === null || typeof envelope.request?.type !== 'string') throw new Error('not a request envelope');
    } catch {
      return sendJson(res, 400, { error: 'expected an Alexa request envelope (JSON)' });
    }
    try {
      sendJson(res, 200, await options.invoke(envelope));
    } catch (error) {
      options.onError?.(error, 'invoke');
      sendJson(res, 500, { error: 'the skill failed to handle the request' });
    }
  };
}
