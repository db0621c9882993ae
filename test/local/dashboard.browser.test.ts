/**
 * The local run in a real browser: the whole system in this process, the embedded Aedes broker included,
 * with Debian's Chromium driven by playwright-core. Click
 * "start wind down" and watch a simulated lamp change brightness and the plug turn on.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createHandler } from '../../lambda/index';
import { createLogger } from '../../devices/log';
import { startLocalSystem, type LocalSystem } from '../../local/system';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RESULTS = path.join(__dirname, '../../test-results');

const maybe = existsSync(CHROMIUM) ? describe : describe.skip;

maybe('the dashboard in Chromium', () => {
  let system: LocalSystem;
  let context: BrowserContext;
  let page: Page;
  let stateDir: string;
  let profile: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-local-'));
    profile = mkdtempSync(path.join(tmpdir(), 'winddown-chromium-'));
    system = await startLocalSystem({
      env: { WINDDOWN_HOME_ID: 'browser-test', TZ: 'UTC' },
      port: 0,
      stateDir,
      log: createLogger({ level: 'silent', pretty: false }),
      // The skill from its source, so the test needs no build first.
      createHandler,
    });
    // A fresh profile directory: nothing from another run, and never a downloaded browser.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 860 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await system?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }, 30_000);

  it('starts a wind-down from the button: a lamp changes brightness, the plug turns on, the transcript shows pauses', async () => {
    expect(system.parts.filter((p) => p.simulated).map((p) => p.name)).toEqual(['MQTT broker', 'Hue bridge (3 lamps, room "Bedroom")', 'Diffuser plug (Tasmota)']);
    await page.goto(system.url);
    await page.waitForSelector('body[data-ready="true"]');
    const lamp = page.locator('.lamp').first();
    await lamp.waitFor();
    const before = Number(await lamp.getAttribute('data-bri'));

    await page.getByRole('button', { name: 'start wind down' }).click();

    // A string predicate: it runs in the page, where the DOM types this project does not load apply.
    await page.waitForFunction(`Number(document.querySelector('.lamp')?.getAttribute('data-bri')) !== ${before}`, undefined, { timeout: 45_000 });
    await page.waitForSelector('#diffuser[data-on="true"]', { timeout: 15_000 });
    await page.waitForSelector('#transcript .seg.pause');
    await page.waitForSelector('#session[data-status="running"]', { timeout: 15_000 });

    const after = Number(await lamp.getAttribute('data-bri'));
    expect(after).not.toBe(before);
    expect(system.plug?.on).toBe(true);
    // The lamp the page draws is the lamp the simulated Hue bridge holds.
    expect(after).toBe(system.hue?.lamps.get('1')?.state.bri);

    // It glides there over the Hue command's own transition time, which is how the lamp breathes.
    // (one of the commands the emulator received: another may have arrived since the page drew it).
    const sent = new Set((system.hue?.commands ?? []).map((c) => `${Number(c.body.transitiontime ?? 4) * 100}ms`));
    const drawn = await lamp.locator('.glow').evaluate((el) => (el as unknown as { style: { transitionDuration: string } }).style.transitionDuration);
    expect(drawn).not.toBe('0ms');
    expect(sent).toContain(drawn);

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'dashboard.png'), fullPage: true });
  }, 90_000);
});
