/**
 * Home Assistant, opt-in and local only. With `WINDDOWN_HA_DISCOVERY` set, on a broker of the home's
 * own, the diffuser is announced as a switch and the session as a sensor under one "Wind Down" device
 * (MQTT discovery, retained, again whenever Home Assistant says it is back), and the switch's plain
 * ON/OFF switches the diffuser. Those commands are not signed: they are obeyed only because the broker
 * is the home's own. On the hosted broker many homes share, none of this runs (see `hostedBroker`).
 */
import type { HomeTopics } from '../../src/protocol/topics';
import { TOPIC_ROOT } from '../../src/protocol/topics';
import type { BridgeMqttSettings } from '../config';
import type { Diffuser } from '../diffuser/diffuser';
import type { EventBus } from '../events';
import type { Logger } from '../process/log';
import type { Route } from './routes';

export const HA_PREFIX = 'homeassistant';
export const HA_STATUS_TOPIC = `${HA_PREFIX}/status`;

/** AWS IoT Core's data endpoints: `<account>(-ats).iot.<region>.amazonaws.com` (`.com.cn` in China). */
const AWS_IOT_HOST = /\.iot\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i;

/**
 * Why the bridge's broker is the hosted one many homes share with the skill, or null for a broker of
 * the home's own. Hosted: the home runs on the identity `winddown pair` stored (it paired with a hosted
 * skill), or the broker is AWS IoT Core (the stack's broker, whatever the mode). There, anyone the
 * broker lets publish on the home's topics (the skill's certificate, a misconfigured policy) could
 * switch the diffuser with an unsigned ON, so only signed commands are obeyed.
 */
export function hostedBroker(mqtt: Pick<BridgeMqttSettings, 'url'>, paired: boolean): string | null {
  if (paired) return 'this home is paired with the hosted skill (`winddown pair`)';
  try {
    if (AWS_IOT_HOST.test(new URL(mqtt.url).hostname)) return 'the broker is AWS IoT Core';
  } catch {
    // Not a URL: the settings check has refused it already.
  }
  return null;
}

/** Home Assistant's switch sends plain ON/OFF here; the bridge turns it into a diffuser command. */
export function haDiffuserCommandTopic(homeId: string): string {
  return `${TOPIC_ROOT}/${homeId}/ha/diffuser/set`;
}

export function haDiscoveryConfigs(homeId: string, topics: HomeTopics, withDiffuser: boolean): { topic: string; payload: string }[] {
  const node = `winddown_${homeId}`;
  const device = { identifiers: [node], name: 'Wind Down', manufacturer: 'Wind Down', model: 'Home bridge' };
  const availability = { availability_topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' };
  const configs: { topic: string; payload: string }[] = [
    {
      topic: `${HA_PREFIX}/sensor/${node}/session/config`,
      payload: JSON.stringify({
        name: 'Session',
        unique_id: `${node}_session`,
        state_topic: topics.sessionState,
        value_template: '{{ value_json.status }}',
        json_attributes_topic: topics.sessionState,
        icon: 'mdi:weather-night',
        device,
        ...availability,
      }),
    },
  ];
  if (withDiffuser) {
    configs.push({
      topic: `${HA_PREFIX}/switch/${node}/diffuser/config`,
      payload: JSON.stringify({
        name: 'Diffuser',
        unique_id: `${node}_diffuser`,
        state_topic: topics.diffuserState,
        value_template: "{{ 'ON' if value_json.on else 'OFF' }}",
        json_attributes_topic: topics.diffuserState,
        command_topic: haDiffuserCommandTopic(homeId),
        payload_on: 'ON',
        payload_off: 'OFF',
        icon: 'mdi:scent',
        device,
        ...availability,
      }),
    });
  }
  return configs;
}

/** Where the configs go: the bridge's main connection. */
export interface RetainedPublisher {
  publish(topic: string, payload: string, options: { qos: 1; retain: true }): unknown;
}

export interface HomeAssistantOptions {
  publisher: RetainedPublisher;
  homeId: string;
  topics: HomeTopics;
  /** The diffuser when a plug is configured: only then is there a switch. */
  diffuser: Diffuser | null;
  events: EventBus;
  log: Logger;
}

/** The Home Assistant unit: its topics (status and the switch), their parsing, and discovery. */
export class HomeAssistant {
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: HomeAssistantOptions) {}

  routes(): Route[] {
    const { homeId, diffuser } = this.options;
    const routes: Route[] = [{ topic: HA_STATUS_TOPIC, qos: 1, handle: (payload) => payload.toString() === 'online' && this.publishDiscovery() }];
    // QoS 0: the broker keeps nothing for the bridge while it is away, so a switch flicked hours ago
    // is not acted on when it comes back. Only what arrives while it is connected counts.
    if (diffuser) routes.push({ topic: haDiffuserCommandTopic(homeId), qos: 0, handle: (payload, retained) => this.onSwitch(diffuser, payload, retained) });
    return routes;
  }

  start(): void {
    this.unsubscribe = this.options.events.on('mqtt.connected', ({ broker }) => {
      if (broker === 'main') this.publishDiscovery();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private publishDiscovery(): void {
    const { publisher, homeId, topics, diffuser } = this.options;
    for (const { topic, payload } of haDiscoveryConfigs(homeId, topics, diffuser !== null)) publisher.publish(topic, payload, { qos: 1, retain: true });
  }

  private onSwitch(diffuser: Diffuser, payload: Buffer, retained: boolean): void {
    const { log, events, homeId } = this.options;
    const topic = haDiffuserCommandTopic(homeId);
    // A retained ON (someone's misconfigured automation) would switch the plug on at every start.
    if (retained) {
      log.warn({ topic }, 'command dropped (retained): Home Assistant switch commands must not be retained');
      events.emit('command.dropped', { reason: 'retained', detail: 'a retained Home Assistant switch command' });
      return;
    }
    const text = payload.toString().trim().toUpperCase();
    // No minutes from Home Assistant: on for WINDDOWN_DIFFUSER_MAX_MINUTES (from the run's first ON), then off.
    if (text === 'ON') void diffuser.on(undefined, 'manual');
    else if (text === 'OFF') void diffuser.off('manual');
    else {
      log.warn({ topic, size: payload.length }, 'command dropped (malformed): expected ON or OFF');
      events.emit('command.dropped', { reason: 'malformed', detail: 'a Home Assistant switch command other than ON or OFF' });
    }
  }
}
