/**
 * The one place the bridge is wired together, and only that: config → logger, state store, MQTT, the
 * inbox, lights, scheduler, diffuser, the retained-state publisher and (opt-in) Home Assistant. Each
 * unit owns its topics and reports on the event bus; the bridge routes topics through one table.
 * `startBridge` returns a handle whose `stop()` ends the session gracefully (lights restored to how
 * they were before it, diffuser off, "offline").
 */
import type { MqttClient } from 'mqtt';
import type { BridgeCapabilities } from '../src/protocol/messages';
import type { ReceivedCommand } from '../src/protocol/earlier-versions';
import { parseHomeKey } from '../src/protocol/signing';
import { homeTopics } from '../src/protocol/topics';
import type { BridgeConfig } from './config';
import type { Clock } from './process/clock';
import { systemClock } from './process/clock';
import { Diffuser } from './diffuser/diffuser';
import { EventBus } from './events';
import { HomeAssistant, hostedBroker, type HomeAssistantOptions } from './mqtt/home-assistant';
import { Inbox } from './inbox/inbox';
import { keyRing } from './pairing/key-ring';
import { HueLights } from './lights/hue/hue';
import type { Lights } from './lights/types';
import type { Logger } from './process/log';
import { createLogger, errorDetail } from './process/log';
import { connectLink, publisherFor } from './mqtt/link';
import { TopicRoutes } from './mqtt/routes';
import { StatePublisher } from './mqtt/state-publisher';
import { readIdentity } from './pairing/identity';
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
  const key = parseHomeKey(config.homeKey);
  if (key === null) throw new Error('Config: WINDDOWN_HOME_KEY is not 64 hex digits');

  const mqttLog = log.child({ scope: 'mqtt' });
  const reconnect = { reconnectMinMs: deps.reconnectMinMs, reconnectMaxMs: deps.reconnectMaxMs };
  const client = connectLink({ settings: config.mqtt, log: mqttLog, will: { topic: topics.availability, payload: 'offline' }, ...reconnect });
  let plugClient: MqttClient | null = null;
  if (config.diffuser?.mqtt) {
    const own = connectLink({ settings: config.diffuser.mqtt, log: log.child({ scope: 'mqtt', broker: 'diffuser' }), ...reconnect });
    own.on('connect', () => events.emit('mqtt.connected', { broker: 'diffuser' }));
    own.on('close', () => events.emit('mqtt.disconnected', { broker: 'diffuser' }));
    plugClient = own;
  }
  const plug = config.diffuser ? createPlug(config.diffuser.spec, publisherFor(plugClient ?? client), config.mqtt.clientId) : null;

  const lights = deps.lights !== undefined ? deps.lights : config.hue ? new HueLights({ settings: config.hue, log: log.child({ scope: 'hue' }) }) : null;
  const holdTimeoutMs = deps.holdTimeoutMs ?? config.sessionHoldMinutes * 60_000;
  const scheduler = new SessionScheduler({ lights, clock, log: log.child({ scope: 'scheduler' }), store, events, holdTimeoutMs });
  const diffuser = new Diffuser({ plug, clock, log: log.child({ scope: 'diffuser' }), store, events, maxMinutes: config.diffuserMaxMinutes, timeZone: config.timeZone });
  const statePublisher = new StatePublisher({ client, topics, events });
  // The keys of this home's pairings, from identity.json, watched: `winddown unpair` takes effect at once,
  // and the skill hears which pairings were revoked.
  const keys = keyRing({
    stateDir: config.stateDir,
    homeId: config.homeId,
    homeKey: key,
    log: log.child({ scope: 'pairing' }),
    onChange: (ring) => statePublisher.publish(topics.pairingsState, { revoked: ring.revoked() }),
  });
  statePublisher.publish(topics.pairingsState, { revoked: keys.revoked() });
  const inbox = new Inbox({ homeId: config.homeId, key, keyFor: (keyId) => keys.keyFor(keyId), clock, store, log: log.child({ scope: 'inbox' }), events });
  events.on('command', (command) => act(command, { scheduler, diffuser, log, hasPlug: plug !== null }));

  const routes = new TopicRoutes();
  routes.add({
    topic: topics.command,
    qos: 1,
    handle: (payload) => {
      const command = inbox.accept(payload, topics.command);
      if (command) events.emit('command', command);
    },
  });
  const homeAssistant = homeAssistantFor(config, { publisher: client, topics, diffuser: plug ? diffuser : null, events, log: log.child({ scope: 'home-assistant' }) });
  if (homeAssistant) routes.add(...homeAssistant.routes());
  const units = [statePublisher, ...(homeAssistant ? [homeAssistant] : [])];
  for (const unit of units) unit.start();

  let resolveConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (resolveConnected = resolve));
  client.on('connect', () => {
    client
      .subscribeAsync(routes.subscriptions())
      .then(() => {
        events.emit('mqtt.connected', { broker: 'main' });
        resolveConnected();
      })
      .catch((error: unknown) => mqttLog.error({ err: errorDetail(error) }, 'subscribe failed'));
  });
  client.on('close', () => events.emit('mqtt.disconnected', { broker: 'main' }));
  client.on('message', (topic, payload, packet) => {
    try {
      routes.dispatch(topic, payload, packet.retain);
    } catch (error) {
      log.error({ err: error, topic }, 'message handling failed');
    }
  });

  // What this home has to work with: the skill keeps the pace by voice where no lamps breathe.
  const diffuserOffBy = plug === null ? {} : { diffuserOffBy: plug.hasOwnTimer ? ('plug' as const) : ('bridge' as const) };
  statePublisher.publish(topics.bridgeState, { lights: lights !== null, diffuser: plug !== null, ...diffuserOffBy, at: clock.now() } satisfies BridgeCapabilities);
  scheduler.resume();
  if (!scheduler.active) events.emit('session.state', scheduler.state());
  await diffuser.start();
  log.info({ homeId: config.homeId, hue: config.hue ? { url: config.hue.url, lights: config.hue.lights, group: config.hue.group } : null, diffuser: plug?.describe() ?? null, homeAssistant: homeAssistant !== null, timeZone: config.timeZone, stateDir: config.stateDir }, 'bridge started');

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
      for (const unit of units) unit.stop();
      keys.close();
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

/** A command that passed the inbox, handed to the part it is for. */
async function act(command: ReceivedCommand, parts: { scheduler: SessionScheduler; diffuser: Diffuser; log: Logger; hasPlug: boolean }): Promise<void> {
  const { scheduler, diffuser, log } = parts;
  switch (command.type) {
    case 'session.start':
      scheduler.start(command);
      return;
    case 'session.stop':
      await scheduler.stop(command.reason, command.sessionId);
      return;
    case 'diffuser.set':
      if (!parts.hasPlug) log.warn({ id: command.id }, 'diffuser command but no WINDDOWN_DIFFUSER is configured');
      if (command.on) await diffuser.on(command.minutes, 'voice');
      else await diffuser.off('voice');
      return;
    case 'bedtime.set':
      diffuser.setBedtime(command.time, command.diffuserMinutes);
      return;
  }
}

/**
 * The Home Assistant unit when it is asked for (WINDDOWN_HA_DISCOVERY) and the broker is the home's
 * own; on the hosted broker it is refused, with a warning saying why, and only signed commands count.
 */
function homeAssistantFor(config: BridgeConfig, options: Omit<HomeAssistantOptions, 'homeId'>): HomeAssistant | null {
  if (!config.haDiscovery) return null;
  const hosted = hostedBroker(config.mqtt, isPairedHome(config));
  if (hosted !== null) {
    options.log.warn({ why: hosted }, 'WINDDOWN_HA_DISCOVERY ignored: Home Assistant control is for a broker of the home\'s own, never the hosted one');
    return null;
  }
  return new HomeAssistant({ ...options, homeId: config.homeId });
}

/** Whether the bridge runs as the home `winddown pair` paired with the hosted skill. */
function isPairedHome(config: BridgeConfig): boolean {
  try {
    return readIdentity(config.stateDir)?.homeId === config.homeId;
  } catch {
    // A damaged identity file (the settings check reports it): count the home as paired, the safe side.
    return true;
  }
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
