/** The Hue v1 emulator the local run and the tests stand in for a Hue bridge with. */
import { FakeClock } from '../support/fake-clock';
import { T0 } from '../devices/helpers';
import { startEmulator } from '../support/hue';

describe('Hue emulator', () => {
  test('applies transitions over time, so a UI can draw each lamp', async () => {
    const clock = new FakeClock(T0);
    const emulator = await startEmulator({ clock });
    const res = await fetch(`${emulator.url}/api/${emulator.username}/lights/1/state`, { method: 'PUT', body: JSON.stringify({ bri: 20, transitiontime: 40 }) });
    expect(await res.json()).toEqual([{ success: { '/lights/1/state/bri': 20 } }, { success: { '/lights/1/state/transitiontime': 40 } }]);
    expect(emulator.brightnessAt('1', T0)).toBe(180);
    expect(emulator.brightnessAt('1', T0 + 2000)).toBe(100);
    expect(emulator.brightnessAt('1', T0 + 4000)).toBe(20);
    await fetch(`${emulator.url}/api/${emulator.username}/lights/1/state`, { method: 'PUT', body: JSON.stringify({ on: false, transitiontime: 10 }) });
    expect(emulator.brightnessAt('1', T0 + 1000)).toBe(0);
    const unauthorised = (await (await fetch(`${emulator.url}/api/nobody/lights`)).json()) as unknown[];
    expect(unauthorised[0]).toMatchObject({ error: { type: 1 } });
  });
});
