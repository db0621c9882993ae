/**
 * What the skill knows of the home before it speaks: whether the bridge is online and whether it has
 * lamps and a diffuser, read from the bridge's retained messages (availability and bridge state) on
 * the same connection the commands go out on. A warm connection keeps them current; a fresh one waits
 * for the retained copies: one round trip after its subscription is granted.
 */
import type { MqttClient } from 'mqtt';
import { BridgeCapabilities } from '../src/protocol/messages';
import type { HomeTopics } from '../src/protocol/topics';

/**
 * disabled: no home link configured. unreachable: the broker did not answer in time. online/offline:
 * the bridge's own last word. unknown: the broker answered but no bridge has ever said anything.
 */
export type HomeReach = 'disabled' | 'unreachable' | 'online' | 'offline' | 'unknown';

export interface HomeView {
  reach: HomeReach;
  /** Whether lamps will breathe along; null when the bridge has not said. */
  lights: boolean | null;
  /** Whether a diffuser plug is configured; null when the bridge has not said. */
  diffuser: boolean | null;
  /** The home has revoked this pairing (`winddown unpair`): its commands would be dropped. */
  revoked?: boolean;
}

/** When only part of a bridge's retained state has come, how long the rest may take. */
export const RETAINED_GRACE_MS = 100;

export function lampsBreathe(view: HomeView): boolean {
  return view.reach === 'online' && view.lights === true;
}

/** Watches one connection's retained home messages. */
export class RetainedHome {
  private availability: string | null = null;
  private bridge: BridgeCapabilities | null = null;
  private revoked: readonly string[] = [];
  private ready: Promise<boolean>;

  /** `keyId`: this link's pairing, looked for in the home's list of revoked pairings. */
  constructor(client: MqttClient, private readonly topics: Pick<HomeTopics, 'availability' | 'bridgeState' | 'pairingsState'>, private readonly keyId?: string) {
    client.on('message', (topic, payload) => {
      if (topic === topics.availability) this.availability = payload.toString('utf8').trim();
      else if (topic === topics.pairingsState) this.revoked = revokedIn(payload);
      else if (topic === topics.bridgeState) {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(payload.toString('utf8'));
        } catch {
          // A bridge state that is not JSON says nothing: the voice keeps the pace itself.
        }
        const checked = BridgeCapabilities.safeParse(parsed);
        this.bridge = checked.success ? checked.data : null;
      }
    });
    this.ready = new Promise<boolean>((resolve) => {
      const settled = () => this.availability !== null && this.bridge !== null;
      const subscribe = async (): Promise<boolean> => {
        const grants = await client.subscribeAsync({ [topics.availability]: { qos: 0 }, [topics.bridgeState]: { qos: 0 }, [topics.pairingsState]: { qos: 0 } });
        // A broker that refuses the subscription (an IoT policy without it) leaves the view unknown.
        if (settled() || grants.some((g) => g.qos === 128)) return true;
        // One more round trip: by its answer the broker has sent the retained copies it holds.
        await client.unsubscribeAsync(`${topics.bridgeState}/barrier`);
        if (settled() || (this.availability === null && this.bridge === null)) return true;
        // Part of what a bridge leaves has come: give the rest a moment.
        await new Promise((r) => setTimeout(r, RETAINED_GRACE_MS));
        return true;
      };
      const start = () => void subscribe().then(resolve, () => resolve(false));
      if (client.connected) start();
      else client.once('connect', start);
      client.once('close', () => resolve(false));
    });
  }

  /** The view once the retained copies are in, or `unreachable` if that takes longer than `timeoutMs`. */
  async view(timeoutMs: number): Promise<HomeView> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const ok = await Promise.race([this.ready, timeout]);
    clearTimeout(timer);
    if (!ok) return { reach: 'unreachable', lights: null, diffuser: null };
    const reach: HomeReach = this.availability === 'online' ? 'online' : this.availability === 'offline' ? 'offline' : 'unknown';
    const view: HomeView = { reach, lights: this.bridge?.lights ?? null, diffuser: this.bridge?.diffuser ?? null };
    return this.keyId !== undefined && this.revoked.includes(this.keyId) ? { ...view, revoked: true } : view;
  }
}

/** The ids in a home's `{"revoked": [...]}`; anything else says nothing was revoked. */
function revokedIn(payload: Buffer): string[] {
  try {
    const data = JSON.parse(payload.toString('utf8')) as { revoked?: unknown };
    return Array.isArray(data.revoked) ? data.revoked.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
