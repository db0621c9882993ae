/**
 * Which home a request reaches. Personal mode (WINDDOWN_HOME_ID set): the one home, whoever asks.
 * Hosted mode: the home this Alexa user paired by voice, signed with that home's key, or none at all
 * (the session is voice only). A container keeps a link to the few homes it served last, so a warm
 * request reuses its connection; the least recently used is closed beyond that.
 */
import { homeKeyWeakness, parseHomeKey, type HomeKey } from '../src/protocol/signing';
import { disabledHomeLink, type HomeLink } from './home-link';
import type { PairedHome } from './state';

export interface Homes {
  /** true: each user pairs their own home. */
  readonly hosted: boolean;
  /** This user's home: the one home in personal mode; in hosted mode the paired one, or none. */
  forUser(paired: PairedHome | null | undefined): HomeLink;
  close(): Promise<void>;
}

/** Homes a container keeps a link to at once. */
export const KEPT_HOME_LINKS = 8;

const NO_HOME = disabledHomeLink('');

export function personalHomes(link: HomeLink): Homes {
  return { hosted: false, forUser: () => link, close: () => link.close() };
}

/** `connect` is null when the skill has no broker: every user is then voice only. */
export function hostedHomes(connect: ((homeId: string, key: HomeKey, keyId?: string) => HomeLink) | null): Homes {
  const links = new Map<string, { key: string; link: HomeLink }>();
  return {
    hosted: true,
    forUser(paired) {
      const key = paired ? parseHomeKey(paired.key) : null;
      // A weak stored key (not the 32 random bytes pairing makes) signs nothing: anyone could guess it.
      if (!paired || key === null || homeKeyWeakness(key) !== null || connect === null) return NO_HOME;
      // A link per pairing, not per home: two people of one household sign with keys of their own.
      const pairing = `${paired.id}/${paired.keyId ?? ''}`;
      const kept = links.get(pairing);
      links.delete(pairing);
      if (kept && kept.key === paired.key) {
        links.set(pairing, kept);
        return kept.link;
      }
      // A home paired again has a new key: its old link goes.
      if (kept) kept.link.close().catch(() => undefined);
      const link = connect(paired.id, key, paired.keyId);
      links.set(pairing, { key: paired.key, link });
      for (const [id, old] of links) {
        if (links.size <= KEPT_HOME_LINKS) break;
        links.delete(id);
        old.link.close().catch(() => undefined);
      }
      return link;
    },
    async close() {
      const all = [...links.values()];
      links.clear();
      await Promise.all(all.map(({ link }) => link.close()));
    },
  };
}
