import http from 'node:http';
import { urlToHttpOptions } from 'node:url';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import { createHandler, type AlexaHandler } from '../../lambda/index';
import { silentLog } from '../../lambda/log';
import { createAlexaEndpoint } from '../../local/alexa-endpoint';
import { bearsToken, newToken } from '../../local/request-guard';
import { Conversation } from '../../local/conversation';
import { UtteranceMatcher } from '../../local/utterances';

const matcher = UtteranceMatcher.fromFile(path.join(__dirname, '../../skill-package/interactionModels/custom/en-US.json'));

let stateDir: string;
let handler: AlexaHandler;
let server: http.Server;
let url: string;
/** The skill's invocations: a refused request must never reach it. */
let invoked = 0;
const token = newToken();

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-endpoint-'));
  handler = createHandler({ env: { WINDDOWN_STATE_DIR: stateDir }, log: silentLog });
  const endpoint = createAlexaEndpoint({
    invoke: (e) => {
      invoked += 1;
      return handler(e);
    },
    bearsToken: (req) => bearsToken(req.headers, token),
  });
  server = http.createServer((req, res) => void endpoint(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alexa`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await handler.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A launch envelope, captured from a conversation rather than written by hand. */
async function launchEnvelope(): Promise<RequestEnvelope> {
  let captured: RequestEnvelope | undefined;
  const conversation = new Conversation({
    matcher,
    invoke: (e) => {
      captured = e;
      return handler(e);
    },
  });
  await conversation.say('open wind down');
  return captured!;
}

function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    // One options object (not url + options): virtual-alexa's bundled nock patches http.request for
    // the whole worker and only understands that form.
    const req = http.request({ ...urlToHttpOptions(new URL(url)), method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('POST /alexa', () => {
  it("answers an unsigned request envelope that carries the run's token with the skill's response", async () => {
    const { status, json } = await post(JSON.stringify(await launchEnvelope()), { authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    const response = json as ResponseEnvelope;
    expect(response.version).toBe('1.0');
    expect(response.response.outputSpeech?.type).toBe('SSML');
  });

  it('refuses an unsigned request from loopback without the token (as a raw TCP tunnel delivers one): 401, the skill never sees it', async () => {
    const envelope = JSON.stringify(await launchEnvelope());
    const before = invoked;
    // Plain loopback, no forwarding header: what `ssh -R` or bore hands over.
    expect(await post(envelope)).toEqual({ status: 401, json: { error: "not signed by Alexa, and without this run's token" } });
    expect((await post(envelope, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await post(envelope, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(401);
    expect((await post(envelope, { forwarded: 'for=203.0.113.7', signature: 'bogus', signaturecertchainurl: 'http://evil.example/cert.pem' })).status).toBe(401);
    expect(invoked).toBe(before);
  });

  it('rejects what is not a request envelope', async () => {
    const auth = { authorization: `Bearer ${token}` };
    expect((await post('not json', auth)).status).toBe(400);
    expect((await post('{"hello":1}', auth)).status).toBe(400);
  });
});

describe('a conversation through the real handler', () => {
  it('launches a session and speaks it as text with the pauses marked', async () => {
    const conversation = new Conversation({ matcher, invoke: (e) => handler(e) });
    const turn = await conversation.say('Alexa, start wind down');
    expect(turn.resolved.request).toBe('LaunchRequest');
    expect(turn.speech).toMatch(/\[pause \d+(\.\d)?m?s\]/);
    expect(turn.transcript.items.some((i) => i.kind === 'pause')).toBe(true);
  });

  it('asks for a bedtime when none is given, then takes the answer alone', async () => {
    const conversation = new Conversation({ matcher, invoke: (e) => handler(e) });
    const asked = await conversation.say('ask wind down to set my bedtime to tonight');
    expect(asked.resolved).toMatchObject({ intent: 'SetBedtimeIntent', slots: { time: 'NI' } });
    expect(asked.listening).toBe(true);
    const answered = await conversation.say('ten thirty p.m.');
    expect(answered.resolved).toMatchObject({ intent: 'SetBedtimeIntent', slots: { time: '22:30' } });
    const check = await new Conversation({ matcher, invoke: (e) => handler(e) }).say('ask wind down when is my bedtime');
    expect(check.speech).toMatch(/10:30|ten thirty|22:30/i);
  });
});
