import type { Logger } from './process/log';
import type { BedtimeState, DiffuserState, LightsState, SessionState } from '../src/protocol/messages';
import type { ReceivedCommand } from '../src/protocol/earlier-versions';
import type { DropReason } from './inbox/inbox';

/** Everything the bridge's parts tell each other. Listeners are typed by event name. */
export interface BridgeEvents {
  /** A command that passed the inbox, to be acted on. */
  command: ReceivedCommand;
  /** A command that was not acted on, and why (the inbox's reasons, or a retained Home Assistant switch command). */
  'command.dropped': { reason: DropReason | 'retained'; detail: string };
  'session.state': SessionState;
  'diffuser.state': DiffuserState;
  'lights.state': LightsState;
  /** The daily bedtime and its next occurrence, whenever it is set, cleared or passes. */
  'bedtime.state': BedtimeState;
  /** `main`: the home's broker, subscribed; `diffuser`: the plug's own broker (WINDDOWN_DIFFUSER_MQTT_URL). */
  'mqtt.connected': { broker: 'main' | 'diffuser' };
  'mqtt.disconnected': { broker: 'main' | 'diffuser' };
}

type Listener<T> = (payload: T) => void | Promise<void>;

/**
 * A typed event bus whose listeners cannot crash the bridge: a listener that throws (or whose promise
 * rejects) is logged with its event and the others still run.
 */
export class EventBus {
  private readonly listeners = new Map<keyof BridgeEvents, Set<Listener<never>>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof BridgeEvents>(event: K, listener: Listener<BridgeEvents[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof BridgeEvents>(event: K, payload: BridgeEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        const result = (listener as Listener<BridgeEvents[K]>)(payload);
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.log.error({ err: error, event }, 'event listener failed'));
        }
      } catch (error) {
        this.log.error({ err: error, event }, 'event listener failed');
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
