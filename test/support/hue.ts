import { HueEmulator, type HueEmulatorOptions } from '../../local/simulators/hue-emulator';
import { onTeardown } from './teardown';

/** The Hue v1 emulator listening on loopback (on `port`, or a free one), stopped by the shared teardown. */
export async function startEmulator(options: HueEmulatorOptions = {}, port = 0): Promise<HueEmulator> {
  const emulator = new HueEmulator(options);
  onTeardown(() => emulator.stop());
  await emulator.start(port);
  return emulator;
}
