/**
 * A plug with no timer of its own (a plain MQTT plug) can only be switched off by the bridge: the
 * bridge says so on its retained state and the dashboard says so beside the diffuser, so nobody relies
 * on it switching itself off. A Tasmota plug (PulseTime) gets no such line.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createHandler } from '../../lambda/index';
import { createLogger } from '../../devices/process/log';
import { startLocalSystem, type LocalSystem } from '../../local/system';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const maybe = existsSync(CHROMIUM) ? describe : describe.skip;

async function withSystem(diffuser: string | undefined, run: (system: LocalSystem, context: BrowserContext) => Promise<void>): Promise<void> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-local-'));
  const profile = mkdtempSync(path.join(tmpdir(), 'winddown-chromium-'));
  const system = await startLocalSystem({
    env: { WINDDOWN_HOME_ID: 'plug-warning', TZ: 'UTC', ...(diffuser ? { WINDDOWN_DIFFUSER: diffuser } : {}) },
    port: 0,
    stateDir,
    log: createLogger({ level: 'silent', pretty: false }),
    createHandler,
  });
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    await run(system, context);
  } finally {
    await context.close();
    await system.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

maybe('a diffuser plug without its own timer', () => {
  it('is named on the dashboard as one only the bridge switches off', async () => {
    await withSystem('mqtt:bedroom/diffuser/set:ON:OFF', async (system, context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(system.url);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForFunction(`document.querySelector('#diffuser-detail')?.textContent.includes('only the bridge switches it off')`, undefined, { timeout: 15_000 });
      expect(system.hub.snapshot().bridge).toMatchObject({ diffuser: true, diffuserOffBy: 'bridge' });
    });
  }, 60_000);

  it('a Tasmota plug, which switches itself off, gets no such line', async () => {
    await withSystem(undefined, async (system, context) => {
      for (let i = 0; i < 50 && system.hub.snapshot().bridge === null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(system.hub.snapshot().bridge).toMatchObject({ diffuser: true, diffuserOffBy: 'plug' });
      // Loaded after the hub knows the bridge's state, so the page starts from it.
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(system.url);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#diffuser-detail').textContent()).not.toContain('only the bridge');
    });
  }, 60_000);
});
