/**
 * The home's identity for hosted mode, kept in the state directory (`identity.json`, readable by the
 * owner only, in a directory only the owner can enter), so that `winddown bridge` can start without
 * WINDDOWN_HOME_ID or WINDDOWN_HOME_KEY:
 *
 * - its id: 128 random bits unless the home already has one (WINDDOWN_HOME_ID, e.g. an AWS IoT thing name);
 * - its own key: 32 random bytes that never leave the home (homes paired before pairings had keys of
 *   their own gave it to the skill; `winddown unpair --all` replaces it);
 * - its pairings: one key per Alexa pairing, with the pairing's id, when it was made, and the skill's
 *   hint of the account. The bridge obeys a command signed by any of them.
 *
 * Every change is written whole to a temporary file and renamed over the old one, so a reader (the
 * running bridge watches this file) never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { HomeId } from '../../src/protocol/messages';
import { PairingId } from '../../src/protocol/pairing';

export const IDENTITY_FILE = 'identity.json';

const HexKey = z.string().check(z.regex(/^[0-9a-f]{64}$/));
export const Pairing = z.strictObject({ id: PairingId, key: HexKey, at: z.number(), account: z.optional(z.string().check(z.maxLength(32))) });
export type Pairing = z.infer<typeof Pairing>;

/** Revoked pairings' ids are remembered (the newest this many), so the skill can tell their users. */
export const REVOKED_KEPT = 100;

const Identity = z.strictObject({ homeId: HomeId, key: HexKey, pairings: z.optional(z.array(Pairing)), revoked: z.optional(z.array(PairingId)) });
export type Identity = z.infer<typeof Identity>;

export function identityFile(stateDir: string): string {
  return path.join(stateDir, IDENTITY_FILE);
}

/** The stored identity, or null when there is none. A damaged file is an error: it is not replaced silently. */
export function readIdentity(stateDir: string): Identity | null {
  const file = identityFile(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw new Error(`Config: ${file} cannot be read (${(error as { code?: string }).code ?? 'unreadable'})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  const parsed = Identity.safeParse(data);
  if (!parsed.success) throw new Error(`Config: ${file} is not a home identity ({"homeId": …, "key": 64 hex digits}); move it aside and run \`npx winddown pair\` again`);
  return parsed.data;
}

function writeIdentity(stateDir: string, identity: Identity, flag: 'w' | 'wx'): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const file = identityFile(stateDir);
  const text = `${JSON.stringify(identity)}\n`;
  if (flag === 'wx') {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return;
  }
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

/** A new identity, written to the state directory (0700) as identity.json (0600); never over an existing one. */
export function createIdentity(stateDir: string, given: { homeId?: string; key?: string } = {}): Identity {
  const identity: Identity = {
    homeId: given.homeId ?? randomBytes(16).toString('base64url'),
    key: given.key ?? randomBytes(32).toString('hex'),
    pairings: [],
  };
  writeIdentity(stateDir, identity, 'wx');
  return identity;
}

function changeIdentity(stateDir: string, change: (identity: Identity) => Identity): Identity {
  const identity = readIdentity(stateDir);
  if (identity === null) throw new Error(`Config: ${identityFile(stateDir)} does not exist: run \`npx winddown pair\` first`);
  const changed = change(identity);
  writeIdentity(stateDir, changed, 'w');
  return changed;
}

/** Adds one pairing's key to the set (the others stay: a second person pairing cuts nobody off). */
export function addPairing(stateDir: string, pairing: Pairing): Identity {
  return changeIdentity(stateDir, (identity) => ({ ...identity, pairings: [...(identity.pairings ?? []).filter((p) => p.id !== pairing.id), pairing] }));
}

/**
 * Revokes the pairings whose id starts with `id` (the short form `winddown pairings` prints), or all of
 * them, and then also replaces the home's own key, so that no key any skill was ever given still works.
 * Returns the ids revoked; an id that matches none, or more than one, revokes nothing.
 */
export function revokePairings(stateDir: string, which: { id: string } | 'all'): { revoked: string[]; problem?: string } {
  let revoked: string[] = [];
  let problem: string | undefined;
  changeIdentity(stateDir, (identity) => {
    const pairings = identity.pairings ?? [];
    const remember = (ids: string[]): string[] => [...(identity.revoked ?? []), ...ids].slice(-REVOKED_KEPT);
    if (which === 'all') {
      revoked = pairings.map((p) => p.id);
      return { ...identity, key: randomBytes(32).toString('hex'), pairings: [], revoked: remember(revoked) };
    }
    const matches = pairings.filter((p) => p.id.startsWith(which.id.toLowerCase()));
    if (matches.length !== 1 || which.id.length < 4) {
      problem = matches.length > 1 ? `${which.id} matches ${matches.length} pairings: give more of its id` : `no pairing ${which.id} (see \`winddown pairings\`)`;
      return identity;
    }
    revoked = matches.map((p) => p.id);
    return { ...identity, pairings: pairings.filter((p) => !revoked.includes(p.id)), revoked: remember(revoked) };
  });
  return problem === undefined ? { revoked } : { revoked, problem };
}
