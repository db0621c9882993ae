/**
 * The skill's only way to the home: MQTT messages to the bridge on `winddown/<home>/cmd`.
 *
 * One connection per Lambda container, opened on the first request (or `warm()`), reused while the
 * container stays warm, and replaced when it has dropped or sat idle for longer than the keep-alive
 * (a container frozen between requests cannot answer pings, so the broker will have closed it).
 * mqtt.js's own reconnect loop is off: a frozen container cannot run it, and the next request opens
 * a fresh connection anyway.
 *
 * Each message is checked against the shared schema, signed with the home's key, published with QoS 1, and the caller waits for
 * the PUBACKs at most `timeoutMs`: a person is waiting for the voice. On timeout the link drops the
 * connection (so a late session start is not delivered minutes later) and reports `unreachable`.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { MqttSettings } from '../src/config/mqtt';
import { mqttClientOptions } from '../src/config/mqtt-options';
import { Command, PROTOCOL_VERSION, type Choreography } from '../src/protocol/messages';
import { signCommand, type HomeKey } from '../src/protocol/signing';
import { homeTopics } from '../src/protocol/topics';
import { RetainedHome, type HomeView } from './home-view';
import type { Log } from './log';
import { connectMqtt } from './mqtt-connect';

export type PublishOutcome = 'sent' | 'unreachable' | 'disabled';

/** A command without its envelope; the link adds version, id, home and issue time. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'v' | 'id' | 'homeId' | 'issuedAt'> : never) : never;

export interface HomeLink {
  readonly homeId: string;
  /** Start connecting without waiting, so the handshake overlaps the rest of the request. */
  warm(): void;
  /** Publish the commands (all stamped with `issuedAt`) and wait for every PUBACK, within the timeout. */
  send(bodies: readonly CommandBody[], issuedAt: number): Promise<PublishOutcome>;
  /** What the bridge last said about itself (online, lamps, diffuser), within the timeout. */
  view(): Promise<HomeView>;
  close(): Promise<void>;
}

/** Message ids: a random UUID without dashes (32 hex characters, within the MessageId pattern). */
export function newMessageId(): string {
  return randomUUID().replace(/-/g, '');
}

export function envelope(body: CommandBody, homeId: string, issuedAt: number, id: string = newMessageId()): Command {
  return { v: PROTOCOL_VERSION, id, homeId, issuedAt, ...body };
}

export interface MqttHomeLinkOptions {
  settings: MqttSettings;
  homeId: string;
  /** The home's key: every command is signed with it. */
  key: HomeKey;
  /** The pairing's id, named in every signed command (hosted mode); absent: the home's own key. */
  keyId?: string;
  timeoutMs: number;
  log: Log;
  /** Seconds; also the idle time after which a kept connection is replaced. */
  keepaliveSeconds?: number;
  now?: () => number;
}

/**
 * Light choreographies that passed the schema, frozen so that they cannot change afterwards. The skill
 * keeps each part's light steps for the life of the container and sends the same object again on
 * every request for that part; checking its hundreds of steps once, rather than each time, removes
 * about two thirds of what a warm LaunchRequest allocates (and so most of its garbage collections).
 */
const checkedLights = new WeakSet<Choreography>();

function freezeLights(lights: Choreography): void {
  for (const step of lights.steps) Object.freeze(step);
  Object.freeze(lights.steps);
  Object.freeze(lights);
}

/** Why the command fails the shared schema, or null when it passes. */
export function commandProblem(command: Command): string | null {
  const known = command.type === 'session.start' && checkedLights.has(command.lights);
  // A known choreography's steps were checked when it was first sent and cannot have changed since.
  const checked = Command.safeParse(known ? { ...command, lights: { ...command.lights, steps: [] } } : command);
  if (!checked.success) return checked.error.issues.map((i) => i.path.join('.')).join(', ');
  if (command.type === 'session.start' && !known) {
    freezeLights(command.lights);
    checkedLights.add(command.lights);
  }
  return null;
}

export function disabledHomeLink(homeId: string): HomeLink {
  return {
    homeId,
    warm: () => undefined,
    send: () => Promise.resolve('disabled'),
    view: () => Promise.resolve({ reach: 'disabled', lights: null, diffuser: null }),
    close: () => Promise.resolve(),
  };
}

export function mqttHomeLink(options: MqttHomeLinkOptions): HomeLink {
  const { settings, homeId, key, keyId, timeoutMs, log } = options;
  const now = options.now ?? Date.now;
  const keepalive = options.keepaliveSeconds ?? 60;
  const topics = homeTopics(homeId);
  const topic = topics.command;
  let client: MqttClient | null = null;
  let retained: RetainedHome | null = null;
  let lastActive = 0;

  const drop = (reason: string): void => {
    if (client === null) return;
    const old = client;
    client = null;
    // Its own listeners stay: mqtt.js clears its CONNACK timer on 'close'. Ours ignore a dropped client.
    old.end(true);
    log.info('home-link.dropped', { reason });
  };

  const ensure = (): MqttClient => {
    if (client !== null && (client.disconnected || client.disconnecting)) drop('closed');
    if (client !== null && client.connected && now() - lastActive > keepalive * 1000) drop('idle');
    if (client !== null) return client;
    const opts = mqttClientOptions(settings, {
      clientId: `winddown-skill-${randomUUID().slice(0, 8)}`,
      clean: true,
      keepaliveSeconds: keepalive,
      reconnectPeriodMs: 0,
      // mqtt.js would otherwise build 65,536 small Buffers on the first publish: about 27 ms of every
      // cold start, for a cache a container that publishes a few commands never repays.
      writeCache: false,
    });
    const fresh = connectMqtt(settings.url, opts);
    lastActive = now();
    fresh.on('connect', () => {
      lastActive = now();
      log.info('home-link.connected');
    });
    // Errors are reported through the publish outcome; a listener keeps them from being thrown.
    fresh.on('error', (error) => log.warn('home-link.error', { code: 'code' in error ? String(error.code) : error.name }));
    fresh.on('close', () => {
      if (client === fresh) drop('closed');
    });
    client = fresh;
    retained = new RetainedHome(fresh, topics, keyId);
    return fresh;
  };

  return {
    homeId,
    warm(): void {
      ensure();
    },
    async send(bodies, issuedAt): Promise<PublishOutcome> {
      const commands = bodies.map((body) => envelope(body, homeId, issuedAt));
      for (const command of commands) {
        const problem = commandProblem(command);
        // A command that fails the shared schema is a bug here, not a home problem: never send it.
        if (problem !== null) throw new Error(`invalid ${command.type} command: ${problem}`);
      }
      const mqttClient = ensure();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const acked = Promise.all(commands.map((command) => mqttClient.publishAsync(topic, signCommand(key, command, keyId), { qos: 1 }))).then(
        () => 'acked' as const,
        () => 'failed' as const,
      );
      const result = await Promise.race([acked, timeout]);
      clearTimeout(timer);
      if (result === 'acked') {
        lastActive = now();
        return 'sent';
      }
      log.warn('home-link.unreachable', { result, types: commands.map((c) => c.type).join(',') });
      if (client === mqttClient) drop(result);
      return 'unreachable';
    },
    async view(): Promise<HomeView> {
      const mqttClient = ensure();
      const view = await (retained as RetainedHome).view(timeoutMs);
      if (view.reach === 'unreachable' && client === mqttClient) drop('timeout');
      return view;
    },
    async close(): Promise<void> {
      const old = client;
      client = null;
      if (old !== null) await old.endAsync(true);
    },
  };
}
