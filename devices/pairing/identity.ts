/**
 * The home's identity for hosted mode: its id and key, made once by `winddown pair` and kept in the
 * state directory (`identity.json`, readable by the owner only), so that `winddown bridge` can start
 * without WINDDOWN_HOME_ID or WINDDOWN_HOME_KEY. The id has 128 random bits unless the home already
 * has one (WINDDOWN_HOME_ID, e.g. an AWS IoT thing name); the key is 32 random bytes.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { HomeId } from '../../src/protocol/messages';

export const IDENTITY_FILE = 'identity.json';

const Identity = z.strictObject({ homeId: HomeId, key: z.string().check(z.regex(/^[0-9a-f]{64}$/)) });
export type Identity = z.infer<typeof Identity>;

/** The stored identity, or null when there is none. A damaged file is an error: it is not replaced silently. */
export function readIdentity(stateDir: string): Identity | null {
  const file = path.join(stateDir, IDENTITY_FILE);
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

/** A new identity, written to the state directory (0700) as identity.json (0600). */
export function createIdentity(stateDir: string, given: { homeId?: string; key?: string } = {}): Identity {
  const identity: Identity = {
    homeId: given.homeId ?? randomBytes(16).toString('base64url'),
    key: given.key ?? randomBytes(32).toString('hex'),
  };
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
  const file = path.join(stateDir, IDENTITY_FILE);
  writeFileSync(file, `${JSON.stringify(identity)}\n`, { mode: 0o600, flag: 'wx' });
  return identity;
}
