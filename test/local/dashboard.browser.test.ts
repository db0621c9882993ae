/**
 * The local run in a real browser: the whole system in this process, the embedded Aedes broker included,
 * with Debian's Chromium driven by playwright-core. Click
 * "start wind down" and watch a simulated lamp change brightness and the plug turn on; the session card
 * and the lamp labels say what the lamps do as the session starts and as they fade after "stop"; the
 * transcript's marker moves without the window scrolling.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { LocalSystem } from '../../local/system';
import { openBrowser, startLocal, withChromium } from '../support/local-run';

const RESULTS = path.join(__dirname, '../../test-results');

withChromium('the dashboard in Chromium', () => {
  let system: LocalSystem;
  let page: Page;
  /** Every response the page got that was not a success (a missing favicon was one). */
  const failed: string[] = [];

  beforeAll(async () => {
    system = await startLocal({ env: { WINDDOWN_HOME_ID: 'browser-test', TZ: 'UTC' } });
    ({ page } = await openBrowser({ viewport: { width: 1280, height: 860 } }));
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
  }, 60_000);

  it('starts a wind-down from the button: a lamp changes brightness, the plug turns on, the transcript shows pauses', async () => {
    expect(system.parts.filter((p) => p.simulated).map((p) => p.name)).toEqual(['MQTT broker', 'Hue bridge (3 lamps, room "Bedroom")', 'Diffuser plug (Tasmota)']);
    await page.goto(system.dashboardUrl);
    await page.waitForSelector('body[data-ready="true"]');
    const lamp = page.locator('.lamp').first();
    await lamp.waitFor();
    const before = Number(await lamp.getAttribute('data-bri'));

    // Every status the session card shows from now on, including ones that last a moment.
    await page.evaluate(`(() => {
      const card = document.querySelector('#session');
      window.statuses = [];
      window.cardWatch = new MutationObserver((records) => { for (const r of records) window.statuses.push(r.oldValue); });
      window.cardWatch.observe(card, { attributes: true, attributeFilter: ['data-status'], attributeOldValue: true });
      const detail = document.querySelector('#session-detail');
      window.details = [];
      window.detailWatch = new MutationObserver(() => window.details.push(detail.textContent));
      window.detailWatch.observe(detail, { childList: true, characterData: true, subtree: true });
    })()`);
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

    // From the click to the breathing, the card never said "resting": it said "starting" until the bridge
    // reported the session (the voice speaks from the start; the lamps join at the plan's start).
    const seen = await page.evaluate(`[...window.statuses, document.querySelector('#session').dataset.status]`);
    const statuses = (seen as string[]).filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['idle', 'starting', 'running']);
    // The room answered before the breathing: the card said so while the lamps glided to the starting level.
    const details = await page.evaluate<string[]>('window.details');
    const answered = details.findIndex((d) => d.startsWith('the room answers'));
    expect(answered).toBeGreaterThanOrEqual(0);
    const breathing = details.findIndex((d) => /^(breathing|drifting)/.test(d));
    if (breathing >= 0) expect(breathing).toBeGreaterThan(answered);
    await expectLabelsFollowLamps();
  }, 90_000);

  /** Each lamp's label reads the level the simulated lamp has now, through its transition. */
  async function expectLabelsFollowLamps(): Promise<{ id: string; level: number; label: string }[]> {
    const hue = system.hue!;
    const before = Date.now();
    const drawn = await page.evaluate<{ id: string; level: number; label: string }[]>(
      `[...document.querySelectorAll('.lamp')].map((el) => ({ id: el.dataset.lamp, level: Number(el.dataset.level), label: el.querySelector('.level').textContent }))`,
    );
    const after = Date.now();
    expect(drawn.map((l) => l.id)).toEqual([...hue.lamps.keys()]);
    for (const lamp of drawn) {
      // The page redraws labels every 200 ms: its level is the lamp's at some moment in that window.
      const levels = [before - 250, before, after].map((at) => hue.brightnessAt(lamp.id, at));
      expect(lamp.level).toBeGreaterThanOrEqual(Math.min(...levels) - 3);
      expect(lamp.level).toBeLessThanOrEqual(Math.max(...levels) + 3);
      expect(lamp.label).toMatch(lamp.level === 0 ? /^off$/ : new RegExp(`(^|· )${Math.max(1, Math.round((100 * lamp.level) / 254))}%$`));
    }
    return drawn;
  }

  it('follows the transcript inside its own box: the window never scrolls', async () => {
    // A window so short that the transcript starts at the fold, as on a small laptop screen: following
    // the marker with the window would scroll it at the marker's first step.
    await page.setViewportSize({ width: 1280, height: 480 });
    await page.evaluate(`(() => {
      window.scrollTo(0, 0);
      window.furthest = 0;
      window.addEventListener('scroll', () => { window.furthest = Math.max(window.furthest, window.scrollY); });
    })()`);
    const overflow = await page.evaluate<number>(`(() => { const el = document.querySelector('#transcript'); return el.scrollHeight - el.clientHeight; })()`);
    expect(overflow).toBeGreaterThan(0);
    const marker = async (): Promise<number> => Number(await page.locator('#transcript .seg.now').getAttribute('data-index'));
    const nextStep = async (): Promise<void> => {
      const from = await marker();
      await page.waitForFunction(`Number(document.querySelector('#transcript .seg.now')?.dataset.index) > ${from}`, undefined, { timeout: 20_000 });
    };
    await nextStep();
    await nextStep();
    await page.waitForTimeout(800); // long enough for a smooth scroll, had there been one
    expect(await page.evaluate('window.furthest')).toBe(0);

    // The box scrolled away from the marker: the next step brings it back, scrolling the box only.
    await page.evaluate(`(() => { const el = document.querySelector('#transcript'); el.scrollTop = el.scrollHeight; })()`);
    await nextStep();
    await page.waitForTimeout(800);
    const inBox = await page.evaluate<boolean>(`(() => {
      const box = document.querySelector('#transcript').getBoundingClientRect();
      const now = document.querySelector('#transcript .seg.now').getBoundingClientRect();
      return now.bottom > box.top && now.top < box.bottom;
    })()`);
    expect(inBox).toBe(true);
    expect(await page.evaluate('window.furthest')).toBe(0);
    expect(await page.evaluate('window.scrollY')).toBe(0);
    // The title and the input stay where a person left them.
    expect((await page.locator('h1').boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
    expect((await page.locator('#utterance').boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 90_000);

  it('shows the reply once, times in one form, the diffuser in plain words, and has an icon', async () => {
    const speech = system.hub.snapshot().turn?.transcript.items.find((i) => i.kind === 'speech');
    expect(speech?.kind).toBe('speech');
    const words = speech?.kind === 'speech' ? speech.text : '';
    const body = await page.evaluate<string>('document.body.innerText');
    expect(body.split(words).length - 1).toBe(1);

    await page.getByRole('button', { name: 'bedtime 10:30 p.m.' }).click();
    await page.waitForFunction(`document.querySelector('#bedtime').textContent !== 'not set'`, undefined, { timeout: 30_000 });
    // The page's one form of time, as this browser writes it.
    const tenThirty = await page.evaluate(`new Date(2026, 0, 1, 22, 30).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })`);
    const clock = await page.evaluate<string>(`new Date(2026, 0, 1, 9, 5).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })`);
    await expect(page.locator('#bedtime').textContent()).resolves.toBe(tenThirty);
    await expect(page.locator('#bedtime-detail').textContent()).resolves.toMatch(/^diffuser on for \d+ min · next (tonight|tomorrow|\w+day)$/);
    // The diffuser was switched on with the session: when it goes off, in the same form, and no jargon.
    const diffuser = (await page.locator('#diffuser').innerText()).replace(/\s+/g, ' ');
    const form = clock.includes('M') ? /turns itself off at \d{1,2}:\d\d [AP]M$/ : /turns itself off at \d{1,2}:\d\d$/;
    expect(diffuser).toMatch(form);
    expect(await page.evaluate<string>('document.body.innerText')).not.toMatch(/relay/i);
    if (tenThirty !== '22:30') expect(await page.evaluate<string>('document.body.innerText')).not.toContain('22:30');

    // Asked by the browser itself (a worker's Node http may be patched by another test file's nock).
    const icon = await page.evaluate<{ status: number; type: string | null; body: string }>(
      `fetch('/favicon.ico').then(async (res) => ({ status: res.status, type: res.headers.get('content-type'), body: await res.text() }))`,
    );
    expect(icon.status).toBe(200);
    expect(icon.type).toBe('image/svg+xml');
    expect(icon.body).toMatch(/^<svg /);
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/favicon.svg');
    expect(failed).toEqual([]);
  }, 60_000);

  it('says "fading out" after "stop" while the lamps dim, and the labels dim with them', async () => {
    await page.evaluate(`window.statuses = []`);
    await page.getByRole('button', { name: 'stop', exact: true }).click();
    await page.waitForSelector('#session[data-status="fading"]', { timeout: 15_000 });
    const hue = system.hue!;
    // The lamps are told "off" with a long transition; they are still glowing.
    for (const [id, lamp] of hue.lamps) {
      expect(lamp.state.on).toBe(false);
      expect(hue.brightnessAt(id, Date.now())).toBeGreaterThan(0);
    }
    await expect(page.locator('#session-detail').textContent()).resolves.toMatch(/^fading out · dark in (0:[0-5]\d|1:00)$/);
    const first = await expectLabelsFollowLamps();
    for (const lamp of first) expect(lamp.label).toMatch(/^fading · \d+%$/);
    await page.waitForTimeout(2500);
    const later = await expectLabelsFollowLamps();
    for (const lamp of later) expect(lamp.level).toBeLessThan(first.find((l) => l.id === lamp.id)!.level);
    await expect(page.locator('#session').getAttribute('data-status')).resolves.toBe('fading');
    const seen = await page.evaluate<string[]>(`[...window.statuses, document.querySelector('#session').dataset.status]`);
    expect(seen).not.toContain('idle');

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'dashboard-fading.png'), fullPage: true });
  }, 60_000);
});
