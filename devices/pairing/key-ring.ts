/**
 * The keys this bridge obeys: its own key (settings, or the identity's), and one key per pairing from
 * `identity.json`. The file is watched, so `winddown unpair` in another terminal takes effect at once in
 * the running bridge: the revoked key's next command is dropped as `signature`. A pairing whose key is
 * weak (a key someone typed or copied into the file, not the skill's 32 random bytes) is refused, the
 * others kept: anyone who guesses that key could sign commands to the lights.
 */
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { homeKeyWeakness, parseHomeKey, type HomeKey } from '../../src/protocol/signing';
import type { Logger } from '../process/log';
import { IDENTITY_FILE, readIdentity } from './identity';

/** How often a command naming an unknown pairing may make the bridge read identity.json again. */
export const MISS_READ_INTERVAL_MS = 1000;

export interface KeyRing {
  /** The key a command's key id names (undefined: the home's own key), or null if this home holds none by that id. */
  keyFor(this: void, keyId: string | undefined): HomeKey | null;
  /** Pairings revoked at this home, newest last. */
  revoked(this: void): readonly string[];
  /** Reads identity.json again (the watcher calls this; tests and signals may too). */
  reload(this: void): void;
  close(this: void): void;
}

export interface KeyRingOptions {
  stateDir: string;
  homeId: string;
  /** The key from the settings (WINDDOWN_HOME_KEY, or the identity's own key filled in for it). */
  homeKey: HomeKey;
  log: Logger;
  /** Told after every reload that changed something. */
  onChange?: (ring: KeyRing) => void;
  /** false: no file watcher (a bridge with no state directory of its own, in tests). */
  watch?: boolean;
}

export function keyRing(options: KeyRingOptions): KeyRing {
  const { stateDir, homeId, log } = options;
  // The own key follows the identity file only if it came from it: a key set in the settings is the owner's to change.
  const first = safeRead();
  const ownFromIdentity = first !== null && first.homeId === homeId && parseHomeKey(first.key)?.equals(options.homeKey) === true;
  let own: HomeKey = options.homeKey;
  let pairings = new Map<string, HomeKey>();
  let revoked: readonly string[] = [];
  let signature = '';
  /** Pairings already reported as refused, so a reload of the same file does not repeat the error. */
  const refused = new Set<string>();

  function safeRead(): ReturnType<typeof readIdentity> {
    try {
      return readIdentity(stateDir);
    } catch (error) {
      log.warn({ detail: (error as Error).message }, 'identity unreadable: keeping the keys held');
      return null;
    }
  }

  const apply = (identity: ReturnType<typeof readIdentity>): void => {
    if (identity === null || identity.homeId !== homeId) return;
    const next = new Map<string, HomeKey>();
    for (const p of identity.pairings ?? []) {
      const key = Buffer.from(p.key, 'hex');
      const weakness = homeKeyWeakness(key);
      if (weakness === null) {
        next.set(p.id, key);
      } else if (!refused.has(`${p.id}/${weakness}`)) {
        refused.add(`${p.id}/${weakness}`);
        // The file and the pairing, never the key.
        log.error(
          { file: join(stateDir, IDENTITY_FILE), pairing: p.id, weakness },
          `pairing ${p.id} in ${join(stateDir, IDENTITY_FILE)} has a weak key (${weakness}): its commands are refused; run \`winddown unpair ${p.id}\` and pair again`,
        );
      }
    }
    if (ownFromIdentity) own = Buffer.from(identity.key, 'hex');
    pairings = next;
    revoked = identity.revoked ?? [];
    const now = `${own.toString('hex')}|${[...next.keys()].join(',')}|${revoked.join(',')}`;
    if (now === signature) return;
    const firstLoad = signature === '';
    signature = now;
    log.info({ pairings: [...next.keys()], revoked: revoked.length }, 'keys loaded');
    if (!firstLoad) options.onChange?.(ring);
  };

  let watcher: FSWatcher | null = null;
  let lastMissRead = 0;
  const ring: KeyRing = {
    keyFor: (keyId) => {
      if (keyId === undefined) return own;
      // A pairing made a moment ago may reach the bridge before the file watcher does (or where watching
      // fails): an id neither held nor revoked reads the file again first, at most once a second.
      if (!pairings.has(keyId) && !revoked.includes(keyId) && Date.now() - lastMissRead >= MISS_READ_INTERVAL_MS) {
        lastMissRead = Date.now();
        ring.reload();
      }
      return pairings.get(keyId) ?? null;
    },
    revoked: () => revoked,
    reload: () => apply(safeRead()),
    close: () => {
      watcher?.close();
      watcher = null;
    },
  };
  apply(first);
  if (options.watch !== false) {
    try {
      // The directory, not the file: identity.json is replaced by a rename on every change. It may not
      // exist yet (a bridge with its key in the settings, before its first write): made as `pair` makes it.
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      watcher = watch(stateDir, { persistent: false }, (_event, name) => {
        if (name === null || name === IDENTITY_FILE) ring.reload();
      });
      watcher.on('error', (error) => log.warn({ err: error }, 'identity watch failed: restart the bridge after `winddown unpair`'));
    } catch (error) {
      log.warn({ detail: (error as Error).message }, 'identity not watched: restart the bridge after `winddown unpair`');
    }
  }
  return ring;
}
