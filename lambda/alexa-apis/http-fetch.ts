/**
 * The little of `fetch` the Alexa API calls use, over node:http and node:https. Node's own `fetch`
 * loads undici the first time it is called: measured here, the first call took about 45 ms against
 * about 10 ms for node:http, and a cold start is paid by someone lying in the dark, waiting. Anything
 * that takes a `fetch` (the global one satisfies the same type) can be given this instead.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface FetchResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

export type AlexaFetch = (url: string, init?: FetchInit) => Promise<FetchResponse>;

/** Answers at most this much; an Alexa API answer is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024;

export const httpFetch: AlexaFetch = (url, init = {}) =>
  new Promise<FetchResponse>((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : null;
    if (send === null) {
      reject(new Error(`not an http(s) URL: ${target.protocol}`));
      return;
    }
    // One options object (not URL + options): the form every http.request wrapper understands.
    const options = {
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port === '' ? undefined : Number(target.port),
      path: `${target.pathname}${target.search}`,
      method: init.method ?? 'GET',
      headers: init.headers,
      signal: init.signal,
    };
    const req = send(options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) res.destroy(new Error('answer too large'));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 300,
          status,
          json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
        });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
