/**
 * Breath steps sent straight to a Hue v1 bridge (the emulator on loopback): the commands it records,
 * Hue's own errors and HTTP failures as LightsErrors, a bridge that never answers given up after the
 * timeout, and the connection the warm-up opened reused by the step that follows.
 */
import type { Server } from 'node:http';
import { LightsError } from '../../devices/lights/types';
import { StepSender } from '../../devices/lights/hue/step-sender';
import { HueEmulator } from '../../local/simulators/hue-emulator';

describe('StepSender', () => {
  let emulator: HueEmulator;
  let sender: StepSender;
  let connections: number;
  beforeEach(async () => {
    emulator = new HueEmulator({ lamps: ['Lamp 1', 'Lamp 2'] });
    await emulator.start();
    connections = 0;
    (emulator as unknown as { server: Server }).server.on('connection', () => void (connections += 1));
    sender = new StepSender({ baseUrl: `${emulator.url}/api`, username: emulator.username, timeoutMs: 300 });
  });
  afterEach(async () => {
    sender.close();
    await emulator.stop();
  });

  it('sends a light and a group command as Hue records them, on the connection the warm-up opened', async () => {
    await sender.warm('groups/1');
    await sender.light(2, { on: true, bri: 40, ct: 455, transitiontime: 40 });
    await sender.group('1', { bri: 20, transitiontime: 60 });
    expect(emulator.commands.map(({ kind, id, body }) => ({ kind, id, body }))).toEqual([
      { kind: 'light', id: '2', body: { on: true, bri: 40, ct: 455, transitiontime: 40 } },
      { kind: 'group', id: '1', body: { bri: 20, transitiontime: 60 } },
    ]);
    expect(connections).toBe(1);
  });

  it("reports Hue's own error with its type, and an HTTP failure", async () => {
    emulator.setFault('error');
    const refused = await sender.light(1, { bri: 10, transitiontime: 10 }).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(LightsError);
    expect(refused).toMatchObject({ hueErrorType: 901 });
    emulator.setFault('http503');
    await expect(sender.light(1, { bri: 10, transitiontime: 10 })).rejects.toThrow('Hue: HTTP 503');
  });

  it('gives up on a bridge that never answers', async () => {
    emulator.setFault('hang');
    await expect(sender.light(1, { bri: 10, transitiontime: 10 })).rejects.toThrow('no answer within 300 ms');
  });

  it('an unknown light is refused as Hue refuses it, and nothing is recorded', async () => {
    await expect(sender.light(9, { bri: 10, transitiontime: 10 })).rejects.toThrow(/Hue error 3/);
    expect(emulator.commands).toEqual([]);
  });
});
