/**
 * The bridge's retained state for dashboards, the skill and Home Assistant: availability, and the
 * latest session, diffuser, lights and bedtime state as the parts report them on the event bus. Only
 * the latest matters, so nothing is queued while the broker is away: the latest of each is published
 * again on every connect.
 */
import type { MqttClient } from 'mqtt';
import type { HomeTopics } from '../../src/protocol/topics';
import type { EventBus } from '../events';

export interface StatePublisherOptions {
  client: MqttClient;
  topics: HomeTopics;
  events: EventBus;
}

export class StatePublisher {
  private readonly latest = new Map<string, string>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: StatePublisherOptions) {}

  start(): void {
    const { events, topics, client } = this.options;
    this.unsubscribe.push(
      events.on('session.state', (state) => this.publish(topics.sessionState, state)),
      events.on('diffuser.state', (state) => this.publish(topics.diffuserState, state)),
      events.on('lights.state', (state) => this.publish(topics.lightsState, state)),
      events.on('bedtime.state', (state) => this.publish(topics.bedtimeState, state)),
      events.on('mqtt.connected', ({ broker }) => {
        if (broker !== 'main') return;
        client.publish(topics.availability, 'online', { qos: 1, retain: true });
        for (const [topic, payload] of this.latest) client.publish(topic, payload, { qos: 1, retain: true });
      }),
    );
  }

  /** Retained on `topic`, now if connected, and again on every connect. */
  publish(topic: string, value: unknown): void {
    const payload = JSON.stringify(value);
    this.latest.set(topic, payload);
    if (this.options.client.connected) this.options.client.publish(topic, payload, { qos: 1, retain: true });
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }
}
