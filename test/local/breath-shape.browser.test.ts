/**
 * The dashboard draws the Echo Show's breathing shape from the same APL document the skill sent:
 * the whole local system in this process, Debian's Chromium driven by playwright-core.
 */
import type { Page } from 'playwright-core';
import type { LocalSystem } from '../../local/system';
import { openBrowser, startLocal, withChromium } from '../support/local-run';

interface PhaseCall {
  d: number;
  t: number;
  o: number;
}

withChromium('the breathing shape on the dashboard', () => {
  let system: LocalSystem;
  let page: Page;

  beforeAll(async () => {
    system = await startLocal({ env: { WINDDOWN_HOME_ID: 'shape-test', TZ: 'UTC' } });
    ({ page } = await openBrowser());
  }, 60_000);

  it('follows the document the reply carried, phase by phase, and goes black on stop', async () => {
    await page.goto(system.dashboardUrl);
    await page.waitForSelector('body[data-ready="true"]');
    await page.getByRole('button', { name: 'start wind down' }).click();
    await page.waitForFunction(`document.querySelector('#breath-shape div')?.dataset.scale !== undefined`, undefined, { timeout: 20_000 });

    // The first phase drawn is the document's first command: its size, brightness and length.
    const screen = system.hub.snapshot().turn?.screen as { onMount: { commands: PhaseCall[] }[] };
    const first = screen.onMount[0]!.commands[0]!;
    const drawn = await page.locator('#breath-shape div').evaluate((el) => {
      const s = (el as unknown as { style: { transform: string; opacity: string; transition: string }; dataset: { scale: string } });
      return { scale: s.dataset.scale, transform: s.style.transform, opacity: s.style.opacity, transition: s.style.transition };
    });
    expect(drawn.scale).toBe(String(first.t));
    expect(drawn.transform).toBe(`scale(${first.t / 100})`);
    expect(Number(drawn.opacity)).toBeCloseTo(first.o / 100, 5);
    const ms = Number(/transform (\d+)ms/.exec(drawn.transition)?.[1]);
    expect(ms).toBeLessThanOrEqual(first.d);
    expect(ms).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'stop' }).click();
    await page.waitForFunction(`document.querySelector('#breath-shape div')?.style.opacity === '0'`, undefined, { timeout: 15_000 });
  }, 90_000);
});
