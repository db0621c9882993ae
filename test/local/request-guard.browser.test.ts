/**
 * Nothing let in: the whole local run in this process, and pages and clients that should not make it
 * act. A real Chromium page on another origin (a second loopback server) posts a LaunchRequest with
 * `mode: 'no-cors'`, as any web page the user opens could; a client names a foreign Host, as a page
 * re-pointed at 127.0.0.1 by DNS rebinding would. Neither reaches the skill.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { urlToHttpOptions } from 'node:url';
import type { RequestEnvelope } from 'ask-sdk-model';
import { chromium, type BrowserContext } from 'playwright-core';
import { ConfigError } from '../../devices/config';
import { createLogger } from '../../devices/process/log';
import { createHandler, type AlexaHandler } from '../../lambda/index';
import type { HandlerOptions } from '../../lambda/index';
import { Conversation } from '../../local/conversation';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { UtteranceMatcher } from '../../local/utterances';
import { ARGS, CHROMIUM } from '../support/local-run';

const envelopes: RequestEnvelope[] = [];
/** The skill from its source, counting every request that reaches it. */
function countingHandler(options: HandlerOptions): AlexaHandler {
  const inner = createHandler(options);
  return Object.assign((event: RequestEnvelope) => {
    envelopes.push(event);
    return inner(event);
  }, { close: () => inner.close() });
}

let system: LocalSystem;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-guard-'));
  system = await startLocalSystem({ env: { WINDDOWN_HOME_ID: 'guard-test', TZ: 'UTC' }, port: 0, stateDir, log: createLogger({ level: 'silent', format: 'json' }), createHandler: countingHandler });
}, 60_000);

afterAll(async () => {
  await system?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}, 30_000);

/** A LaunchRequest envelope, as the local conversation builds it; captured, not sent. */
async function launchEnvelope(): Promise<RequestEnvelope> {
  let captured: RequestEnvelope | undefined;
  const matcher = UtteranceMatcher.fromFile(path.join(__dirname, '../../skill-package/interactionModels/custom/en-US.json'));
  const conversation = new Conversation({
    matcher,
    invoke: (envelope) => {
      captured = envelope;
      return Promise.reject(new Error('captured'));
    },
  });
  await conversation.say('open wind down').catch(() => undefined);
  if (!captured) throw new Error('no envelope captured');
  return captured;
}

function request(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...urlToHttpOptions(new URL(url)), method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The run's token, as the dashboard's cookie or `winddown say` sends it. */
const withToken = (): Record<string, string> => ({ authorization: `Bearer ${system.access.token}` });

describe('the local endpoint refuses what a web page, a rebound name or a tunnel could send', () => {
  test('from loopback, naming this server, without the token (as through `ssh -R` or bore): refused, and nothing is done', async () => {
    const body = JSON.stringify(await launchEnvelope());
    const alexa = await request(system.alexaUrl, 'POST', { 'content-type': 'application/json' }, body);
    expect(alexa.status).toBe(401);
    expect((await request(system.alexaUrl, 'POST', { 'content-type': 'application/json', authorization: 'Bearer guessed' }, body)).status).toBe(401);
    expect((await request(`${system.url}/api/say`, 'POST', { 'content-type': 'application/json' }, '{"text":"start wind down"}')).status).toBe(403);
    expect((await request(`${system.url}/api/state`, 'GET', {})).status).toBe(403);
    expect((await request(`${system.url}/events`, 'GET', {})).status).toBe(403);
    expect(envelopes).toHaveLength(0);
    expect(system.plug?.on).toBe(false);
    expect(system.hub.snapshot().turn).toBeFalsy();
  });

  test('a request naming a foreign Host (DNS rebinding) gets 403 and nothing is done, token or not', async () => {
    const body = JSON.stringify(await launchEnvelope());
    const foreign = await request(system.alexaUrl, 'POST', { 'content-type': 'application/json', host: `attacker.example:${new URL(system.url).port}`, ...withToken() }, body);
    expect(foreign.status).toBe(403);
    expect((await request(`${system.url}/api/state`, 'GET', { host: 'attacker.example', ...withToken() })).status).toBe(403);
    expect((await request(`${system.url}/api/say`, 'POST', { 'content-type': 'application/json', host: 'rebind.example', ...withToken() }, '{"text":"start wind down"}')).status).toBe(403);
    expect(envelopes).toHaveLength(0);
  });

  test('another Origin, or Sec-Fetch-Site cross-site or same-site, gets 403 and nothing is done, token or not', async () => {
    const body = JSON.stringify(await launchEnvelope());
    const refusedHeaders: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of refusedHeaders) {
      expect((await request(system.alexaUrl, 'POST', { 'content-type': 'application/json', ...headers, ...withToken() }, body)).status).toBe(403);
      expect((await request(`${system.url}/api/say`, 'POST', { 'content-type': 'application/json', ...headers, ...withToken() }, '{"text":"start wind down"}')).status).toBe(403);
    }
    expect(envelopes).toHaveLength(0);
    expect(system.plug?.on).toBe(false);
  });

  (existsSync(CHROMIUM) ? test : test.skip)(
    'a page on another origin in Chromium that posts a LaunchRequest with no-cors starts nothing',
    async () => {
      const body = JSON.stringify(await launchEnvelope());
      const page = `<!doctype html><script>
        fetch(${JSON.stringify(system.alexaUrl)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} })
          .then(() => 'sent', (e) => 'failed: ' + e)
          .then((outcome) => { document.body.dataset.done = outcome; });
      </script><body></body>`;
      const other = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(page);
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      const profile = mkdtempSync(path.join(tmpdir(), 'winddown-chromium-'));
      let context: BrowserContext | null = null;
      try {
        context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
        const tab = context.pages()[0] ?? (await context.newPage());
        const refused = new Promise<number>((resolve) => tab.on('response', (r) => r.url() === system.alexaUrl && resolve(r.status())));
        // Another port is another origin: the attacker's page, served from this machine as any site could be.
        await tab.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
        await tab.waitForSelector('body[data-done]', { state: 'attached' });
        expect(await tab.evaluate('document.body.dataset.done')).toBe('sent');
        expect(await refused).toBe(403);
        expect(envelopes).toHaveLength(0);
        expect(system.plug?.on).toBe(false);
        expect(system.hub.snapshot().session?.status ?? 'idle').not.toBe('running');
      } finally {
        await context?.close();
        other.closeAllConnections();
        await new Promise<void>((resolve) => other.close(() => resolve()));
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );

  (existsSync(CHROMIUM) ? test : test.skip)(
    'the dashboard opened without its token says which link to open and does nothing; the printed link works and leaves no token in the address',
    async () => {
      const profile = mkdtempSync(path.join(tmpdir(), 'winddown-chromium-'));
      let context: BrowserContext | null = null;
      try {
        context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
        const tab = context.pages()[0] ?? (await context.newPage());
        await tab.goto(system.url);
        await tab.waitForSelector('body[data-refused="true"]', { state: 'attached' });
        expect(await tab.textContent('#availability-text')).toMatch(/open the dashboard link that winddown start printed/);
        await tab.fill('#utterance', 'start wind down');
        await tab.press('#utterance', 'Enter');
        await tab.waitForSelector('#exchange .said');
        expect(await tab.textContent('#exchange')).toContain('Could not say that: missing or wrong token');
        expect(envelopes).toHaveLength(0);
        expect(system.plug?.on).toBe(false);

        await tab.goto(system.dashboardUrl);
        await tab.waitForSelector('body[data-ready="true"]', { state: 'attached' });
        expect(tab.url()).toBe(`${system.url}/`);
        expect(await tab.textContent('#availability-text')).toMatch(/home bridge (online|offline)|connecting/);
      } finally {
        await context?.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    60_000,
  );

  test("the same request naming this server, from the dashboard's own origin, with the run's token, is answered", async () => {
    const body = JSON.stringify(await launchEnvelope());
    const res = await request(system.alexaUrl, 'POST', { 'content-type': 'application/json', origin: system.url, 'sec-fetch-site': 'same-origin', ...withToken() }, body);
    expect(res.status).toBe(200);
    expect(envelopes).toHaveLength(1);
    await system.conversation.say('stop');
  });
});

describe('listening beyond this machine', () => {
  test('--host other than loopback requires WINDDOWN_SKILL_ID, and starts nothing without it', async () => {
    await expect(startLocalSystem({ env: { TZ: 'UTC' }, host: '0.0.0.0', port: 0, stateDir, log: createLogger({ level: 'silent', format: 'json' }), createHandler: countingHandler })).rejects.toThrow(ConfigError);
    await expect(startLocalSystem({ env: { TZ: 'UTC' }, host: '0.0.0.0', port: 0, stateDir, log: createLogger({ level: 'silent', format: 'json' }), createHandler: countingHandler })).rejects.toThrow(/WINDDOWN_SKILL_ID: required with --host 0\.0\.0\.0/);
  });
});
