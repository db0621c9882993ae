/**
 * A plug with no timer the bridge can count on (a plain MQTT plug, a Zigbee2MQTT one) is sure to be switched off only by the bridge: the
 * bridge says so on its retained state and the dashboard says so beside the diffuser, so nobody relies
 * on it switching itself off. A Tasmota plug (PulseTime) gets no such line.
 */
import type { BrowserContext } from 'playwright-core';
import type { LocalSystem } from '../../local/system';
import { openBrowser, startLocal, withChromium } from '../support/local-run';

/** The local run, with `diffuser` as its plug (the simulated Tasmota one when undefined), and a browser. */
async function withSystem(diffuser: string | undefined, run: (system: LocalSystem, context: BrowserContext) => Promise<void>): Promise<void> {
  const system = await startLocal({ env: { WINDDOWN_HOME_ID: 'plug-warning', TZ: 'UTC', ...(diffuser ? { WINDDOWN_DIFFUSER: diffuser } : {}) } });
  const { context } = await openBrowser();
  await run(system, context);
}

withChromium('a diffuser plug without its own timer', () => {
  it('is named on the dashboard as one only the bridge switches off', async () => {
    await withSystem('mqtt:bedroom/diffuser/set:ON:OFF', async (system, context) => {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(system.dashboardUrl);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForFunction(`document.querySelector('#diffuser-detail')?.textContent.includes('only the bridge is sure to switch it off')`, undefined, { timeout: 15_000 });
      expect(system.hub.snapshot().bridge).toMatchObject({ diffuser: true, diffuserOffBy: 'bridge' });
    });
  }, 60_000);

  it('a Tasmota plug, which switches itself off, gets no such line', async () => {
    await withSystem(undefined, async (system, context) => {
      for (let i = 0; i < 50 && system.hub.snapshot().bridge === null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(system.hub.snapshot().bridge).toMatchObject({ diffuser: true, diffuserOffBy: 'plug' });
      // Loaded after the hub knows the bridge's state, so the page starts from it.
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(system.dashboardUrl);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#diffuser-detail').textContent()).not.toContain('only the bridge');
    });
  }, 60_000);
});
