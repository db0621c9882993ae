/**
 * The keys a bridge obeys, read from identity.json and watched: a pairing added or revoked by another
 * process (`winddown pair`, `winddown unpair`) changes them at once, a damaged file changes nothing, and
 * a key set in the settings is never replaced by the file's.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { addPairing, createIdentity, identityFile, revokePairings } from '../../devices/pairing/identity';
import { keyRing, type KeyRing } from '../../devices/pairing/key-ring';
import { memoryLogger, tempDir, type LogLine } from './helpers';
import { onTeardown } from '../support/teardown';

const HOME = 'ring-home';
/** Keys as random-looking as the 32 random bytes pairing makes (weak keys are refused). */
const keyOf = (label: string): string => createHash('sha256').update(label).digest('hex');
const OWN = keyOf('own key');
const PAIRING = { id: '0123456789ab', key: keyOf('pairing key'), at: 1 };

function ringIn(dir: string, homeKey = OWN): { ring: KeyRing; changed: () => Promise<void>; warnings: () => unknown[]; lines: LogLine[] } {
  const logger = memoryLogger();
  let notify: () => void = () => undefined;
  const ring = keyRing({ stateDir: dir, homeId: HOME, homeKey: Buffer.from(homeKey, 'hex'), log: logger.log, onChange: () => notify() });
  onTeardown(() => ring.close());
  return { ring, changed: () => new Promise<void>((resolve) => (notify = resolve)), warnings: logger.warnings, lines: logger.lines };
}

test('a pairing added and then revoked by another process is obeyed, then refused, without a restart', async () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(state.dir, { homeId: HOME, key: OWN });
  const { ring, changed } = ringIn(state.dir);
  expect(ring.keyFor(PAIRING.id)).toBeNull();
  expect(ring.keyFor(undefined)?.toString('hex')).toBe(OWN);

  let next = changed();
  addPairing(state.dir, PAIRING);
  await next;
  expect(ring.keyFor(PAIRING.id)?.toString('hex')).toBe(PAIRING.key);

  next = changed();
  expect(revokePairings(state.dir, { id: PAIRING.id.slice(0, 6) })).toEqual({ revoked: [PAIRING.id] });
  await next;
  expect(ring.keyFor(PAIRING.id)).toBeNull();
  expect(ring.revoked()).toEqual([PAIRING.id]);
});

test('unpair --all replaces the own key when it came from the file, never one set in the settings', async () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(state.dir, { homeId: HOME, key: OWN });
  addPairing(state.dir, PAIRING);
  const fromFile = ringIn(state.dir);
  const fromSettings = ringIn(state.dir, keyOf('settings key'));
  const next = Promise.all([fromFile.changed(), fromSettings.changed()]);
  revokePairings(state.dir, 'all');
  await next;
  expect(fromFile.ring.keyFor(undefined)?.toString('hex')).not.toBe(OWN);
  expect(fromFile.ring.keyFor(PAIRING.id)).toBeNull();
  expect(fromSettings.ring.keyFor(undefined)?.toString('hex')).toBe(keyOf('settings key'));
});

test('a damaged identity file keeps the keys held, with a warning', () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(state.dir, { homeId: HOME, key: OWN });
  addPairing(state.dir, PAIRING);
  const { ring, warnings } = ringIn(state.dir);
  writeFileSync(identityFile(state.dir), '{"homeId": "ring-home", "key": "trunc');
  ring.reload();
  expect(ring.keyFor(PAIRING.id)?.toString('hex')).toBe(PAIRING.key);
  expect(warnings()).not.toHaveLength(0);
});

test('identity.json is written whole and owner-only, and an unknown pairing id revokes nothing', () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(path.join(state.dir, 'home'), { homeId: HOME, key: OWN });
  addPairing(path.join(state.dir, 'home'), PAIRING);
  expect(statSync(identityFile(path.join(state.dir, 'home'))).mode & 0o777).toBe(0o600);
  expect(readdirSync(path.join(state.dir, 'home'))).toEqual(['identity.json']);
  expect(revokePairings(path.join(state.dir, 'home'), { id: 'ffff' })).toEqual({ revoked: [], problem: 'no pairing ffff (see `winddown pairings`)' });
  expect(revokePairings(path.join(state.dir, 'home'), { id: '012' }).problem).toMatch(/no pairing 012/);
});

test('a command naming a pairing the bridge has not heard of yet makes it read the file again, even without a watcher', () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(state.dir, { homeId: HOME, key: OWN });
  const ring = keyRing({ stateDir: state.dir, homeId: HOME, homeKey: Buffer.from(OWN, 'hex'), log: memoryLogger().log, watch: false });
  onTeardown(() => ring.close());
  addPairing(state.dir, PAIRING);
  expect(ring.keyFor(PAIRING.id)?.toString('hex')).toBe(PAIRING.key);
});

test('a weak pairing key in identity.json is refused, named by its file and pairing id, never the key; the other pairings still work', () => {
  const state = tempDir('winddown-ring-');
  onTeardown(state.remove);
  createIdentity(state.dir, { homeId: HOME, key: OWN });
  const weak = { id: 'ffffffffffff', key: 'deadbeef'.repeat(8), at: 2 };
  addPairing(state.dir, PAIRING);
  addPairing(state.dir, weak);
  const { ring, lines } = ringIn(state.dir);
  expect(ring.keyFor(weak.id)).toBeNull();
  expect(ring.keyFor(PAIRING.id)?.toString('hex')).toBe(PAIRING.key);
  const errors = lines.filter((l) => l.level === 50);
  expect(errors).toHaveLength(1);
  const text = JSON.stringify(errors[0]);
  expect(text).toContain(weak.id);
  expect(text).toContain(path.join(state.dir, 'identity.json'));
  expect(text).toContain('a pattern of 4 bytes repeated');
  expect(text).not.toContain('deadbeef');
  // Read again (the watcher, a command naming an unknown pairing): still refused, not reported twice.
  ring.reload();
  expect(ring.keyFor(weak.id)).toBeNull();
  expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
});
