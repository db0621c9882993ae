/**
 * The key every test home and test skill share, and the one way tests publish a command to a bridge:
 * signed with that key, as the skill does. A test of what is dropped signs even malformed text, so
 * the drop is for the reason it tests, not for a missing signature.
 */
import { randomBytes } from 'node:crypto';
import { parseHomeKey, signText, type HomeKey } from '../../src/protocol/signing';

/**
 * Made at random for each test process, as `npx winddown key` makes a home's key: no test leans on a
 * key anyone could know, and the settings' weak-key checks meet the tests' keys as they meet a home's.
 */
export const TEST_HOME_KEY_HEX = randomBytes(32).toString('hex');
export const TEST_HOME_KEY: HomeKey = parseHomeKey(TEST_HOME_KEY_HEX) as HomeKey;

/** A command (an object, or its exact text) as a signed payload. */
export function signed(command: unknown, key: HomeKey = TEST_HOME_KEY): string {
  return signText(key, typeof command === 'string' ? command : Buffer.isBuffer(command) ? command.toString('utf8') : JSON.stringify(command));
}

/** The command inside a signed payload (what a test that watches the broker reads). */
export function unsigned(payload: Buffer | string): unknown {
  const { cmd } = JSON.parse(payload.toString()) as { cmd: string };
  return JSON.parse(cmd);
}
