/**
 * The one place the bridge is wired together: config → logger, state store, MQTT, input gate, lights,
 * scheduler, diffuser, state publishing and Home Assistant discovery. `startBridge` returns a handle
 * whose `stop()` ends the session gracefully (lights restored to how they were before it, diffuser off,
 * "offline").
 */
import type { MqttClient } from 'mqtt';
import type { BridgeState } from '../src/protocol/messages';
import type { ReceivedCommand } from '../src/protocol/v1';
import { parseHomeKey } from '../src/protocol/signing';
import { homeTopics } from '../src/protocol/topics';
import type { BridgeConfig } from './config';
import type { Clock } from './process/clock';
import { systemClock } from './process/clock';
import { Diffuser } from './diffuser/diffuser';
import { EventBus } from './events';
import { HA_STATUS_TOPIC, haDiffuserCommandTopic, haDiscoveryConfigs } from './mqtt/home-assistant';
import { Inbox } from './inbox/inbox';
import { HueLights } from './lights/hue/hue';
import type { Lights } from './lights/types';
import type { Logger } from './process/log';
import { createLogger, errorDetail } from './process/log';
import { connectLink, publisherFor } from './mqtt/link';
import { createPlug } from './plugs';
import { secretsOf } from './process/secrets';
import { SessionScheduler } from './session/scheduler';
import { StateStore } from './state/state-store';

export interface BridgeDeps {
  clock?: Clock;
  log?: Logger;
  /** Replaces the Hue adapter (another lighting system, or none). */
  lights?: Lights | null;
  holdTimeoutMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface StopOptions {
  /**
   * true: a running session's lights are restored to how they were before it (not faded off, whatever
   * the plan says), the diffuser is switched off and the bridge says offline.
   * false: leave everything as it is, as a crash would (tests of restarts use this). The session and
   * the diffuser deadline stay in the state file for the next start. Default true.
   */
  graceful?: boolean;
}

export interface BridgeHandle {
  readonly events: EventBus;
  /** Resolves once the main broker accepted the connection (for tests and the local runner). */
  readonly connected: Promise<void>;
  stop(options?: StopOptions): Promise<void>;
  /**
   * For an unexpected exception: the diffuser off and the lights' end action (the plan's fade-off or
   * restore) at once, each within a time limit, then a stop. Never rejects.
   */
  failSafe(): Promise<void>;
}

/** How long the fail-safe waits for the plug's OFF and for the lights' end action. */
export const FAIL_SAFE_DIFFUSER_MS = 3000;
export const FAIL_SAFE_LIGHTS_MS = 8000;

export async function startBridge(config: BridgeConfig, deps: BridgeDeps = {}): Promise<BridgeHandle> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  const topics = homeTopics(config.homeId);
  const events = new EventBus(log.child({ scope: 'events' }));
  const store = new StateStore(config.stateDir, log.child({ scope: 'state' }));
  store.load();

  const mqttLog = log.child({ scope: 'mqtt' });
  const client = connectLink({
    settings: config.mqtt,
    log: mqttLog,
    will: { topic: topics.availability, payload: 'offline' },
    reconnectMinMs: deps.reconnectMinMs,
    reconnectMaxMs: deps.reconnectMaxMs,
  });
  let plugClient: MqttClient | null = null;
  if (config.diffuser?.mqtt) plugClient = connectLink({ settings: config.diffuser.mqtt, log: log.child({ scope: 'mqtt', broker: 'diffuser' }), reconnectMinMs: deps.reconnectMinMs, reconnectMaxMs: deps.reconnectMaxMs });
  const plug = config.diffuser ? createPlug(config.diffuser.spec, publisherFor(plugClient ?? client), config.mqtt.clientId) : null;

  const lights = deps.lights !== undefined ? deps.lights : config.hue ? new HueLights({ settings: config.hue, log: log.child({ scope: 'hue' }) }) : null;
  const holdTimeoutMs = deps.holdTimeoutMs ?? config.sessionHoldMinutes * 60_000;
  const scheduler = new SessionScheduler({ lights, clock, log: log.child({ scope: 'scheduler' }), store, events, holdTimeoutMs });

  /** Retained state for dashboards: only the latest matters, so nothing is queued while offline. */
  const retained = new Map<string, string>();
  const publishState = (topic: string, value: unknown): void => {
    const payload = JSON.stringify(value);
    retained.set(topic, payload);
    if (client.connected) client.publish(topic, payload, { qos: 1, retain: true });
  };
  events.on('session.state', (state) => publishState(topics.sessionState, state));
  events.on('diffuser.state', (state) => publishState(topics.diffuserState, state));
  events.on('lights.state', (state) => publishState(topics.lightsState, state));

  const diffuser = new Diffuser({
    plug,
    clock,
    log: log.child({ scope: 'diffuser' }),
    store,
    events,
    maxMinutes: config.diffuserMaxMinutes,
    timeZone: config.timeZone,
    onBedtime: (state) => publishState(topics.bedtimeState, state),
  });

  const key = parseHomeKey(config.homeKey);
  if (key === null) throw new Error('Config: WINDDOWN_HOME_KEY is not 64 hex digits');
  const inbox = new Inbox({ homeId: config.homeId, key, clock, store, log: log.child({ scope: 'inbox' }), onDrop: (reason, detail) => events.emit('command.dropped', { reason, detail }) });

  const act = async (command: ReceivedCommand): Promise<void> => {
    switch (command.type) {
      case 'session.start':
        scheduler.start(command);
        return;
      case 'session.stop':
        await scheduler.stop(command.reason, command.sessionId);
        return;
      case 'diffuser.set':
        if (!plug) log.warn({ id: command.id }, 'diffuser command but no WINDDOWN_DIFFUSER is configured');
        if (command.on) await diffuser.on(command.minutes, 'voice');
        else await diffuser.off('voice');
        return;
      case 'bedtime.set':
        diffuser.setBedtime(command.time, command.diffuserMinutes);
        return;
    }
  };
  events.on('command', act);

  const haCommandTopic = haDiffuserCommandTopic(config.homeId);
  const publishDiscovery = (): void => {
    for (const { topic, payload } of haDiscoveryConfigs(config.homeId, topics, plug !== null)) client.publish(topic, payload, { qos: 1, retain: true });
  };

  let resolveConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (resolveConnected = resolve));
  client.on('connect', () => {
    client.publish(topics.availability, 'online', { qos: 1, retain: true });
    for (const [topic, payload] of retained) client.publish(topic, payload, { qos: 1, retain: true });
    const subscriptions: Record<string, { qos: 0 | 1 }> = { [topics.command]: { qos: 1 } };
    if (config.haDiscovery) {
      subscriptions[HA_STATUS_TOPIC] = { qos: 1 };
      // QoS 0: the broker keeps nothing for the bridge while it is away, so a switch flicked hours ago
      // is not acted on when it comes back. Only what arrives while it is connected counts.
      if (plug) subscriptions[haCommandTopic] = { qos: 0 };
      publishDiscovery();
    }
    client
      .subscribeAsync(subscriptions)
      .then(() => {
        events.emit('mqtt.connected', { broker: 'main' });
        resolveConnected();
      })
      .catch((error: unknown) => mqttLog.error({ err: errorDetail(error) }, 'subscribe failed'));
  });
  client.on('close', () => events.emit('mqtt.disconnected', { broker: 'main' }));
  client.on('message', (topic, payload, packet) => {
    try {
      if (topic === topics.command) {
        const command = inbox.accept(payload, topic);
        if (command) events.emit('command', command);
      } else if (topic === HA_STATUS_TOPIC) {
        if (payload.toString() === 'online') publishDiscovery();
      } else if (topic === haCommandTopic) {
        // A retained ON (someone's misconfigured automation) would switch the plug on at every start.
        if (packet.retain) {
          log.warn({ topic }, 'command dropped (retained): Home Assistant switch commands must not be retained');
          return;
        }
        const text = payload.toString().trim().toUpperCase();
        // No minutes from Home Assistant: on for WINDDOWN_DIFFUSER_MAX_MINUTES, then off.
        if (text === 'ON') void diffuser.on(undefined, 'manual');
        else if (text === 'OFF') void diffuser.off('manual');
        else log.warn({ topic, size: payload.length }, 'command dropped (malformed): expected ON or OFF');
      }
    } catch (error) {
      log.error({ err: error, topic }, 'message handling failed');
    }
  });

  // What this home has to work with: the skill keeps the pace by voice where no lamps breathe.
  const diffuserOffBy = plug === null ? {} : { diffuserOffBy: plug.kind === 'mqtt' ? ('bridge' as const) : ('plug' as const) };
  publishState(topics.bridgeState, { lights: lights !== null, diffuser: plug !== null, ...diffuserOffBy, at: clock.now() } satisfies BridgeState);
  scheduler.resume();
  if (!scheduler.active) events.emit('session.state', scheduler.state());
  await diffuser.start();
  log.info({ homeId: config.homeId, hue: config.hue ? { url: config.hue.url, lights: config.hue.lights, group: config.hue.group } : null, diffuser: plug?.describe() ?? null, timeZone: config.timeZone, stateDir: config.stateDir }, 'bridge started');

  let stopped = false;
  const handle: BridgeHandle = {
    events,
    connected,
    async failSafe() {
      if (stopped) return;
      // Both at once: whichever hangs, the other still happens.
      await Promise.all([withTimeout(diffuser.off('shutdown'), FAIL_SAFE_DIFFUSER_MS), withTimeout(scheduler.stop('stop'), FAIL_SAFE_LIGHTS_MS)]);
      await withTimeout(handle.stop(), FAIL_SAFE_DIFFUSER_MS);
    },
    async stop(options: StopOptions = {}) {
      if (stopped) return;
      stopped = true;
      const graceful = options.graceful ?? true;
      if (graceful) {
        log.info('bridge stopping: restoring the lights and switching the diffuser off');
        await scheduler.shutdown();
        if (store.get().diffuser.on) await withTimeout(diffuser.off('shutdown'), 2000);
      } else scheduler.detach();
      diffuser.stop();
      // Whatever was written behind (seen ids, the session) reaches the disk before the process ends.
      await store.flush();
      if (graceful && client.connected) await withTimeout(client.publishAsync(topics.availability, 'offline', { qos: 1, retain: true }), 2000);
      await Promise.all([client.endAsync(!graceful), plugClient?.endAsync(!graceful)]);
      events.removeAll();
      await lights?.close();
      log.info('bridge stopped');
    },
  };
  return handle;
}

/** Waits for `promise` at most `ms` (real time: used only while shutting down). */
function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
