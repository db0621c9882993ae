/**
 * Everything the dashboard (and `winddown say`) shows, kept in one place and pushed to listeners as it
 * changes. The home's state comes from its retained MQTT state topics, exactly as any dashboard would
 * read it; the lamps come from the simulated Hue bridge's own record of each command (brightness and
 * transition time) when it runs in-process, otherwise from the bridge's lights state topic; the
 * conversation comes from the turns typed here.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { BedtimeState, DiffuserState, SessionState } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import type { Turn } from '../conversation';
import type { HueEmulator } from '../simulators/hue-emulator';
import type { Transcript } from '../transcript';

export interface LampView {
  id: string;
  name: string;
  on: boolean;
  bri: number;
  /** How long the lamp takes to reach `bri` from where it was, ms (the Hue command's transition). */
  transitionMs: number;
  at: number;
}

export interface TurnView {
  text: string;
  request: string;
  intent: string | null;
  slots: Record<string, string>;
  speech: string;
  reprompt: string | null;
  listening: boolean;
  transcript: Transcript;
  /** When the voice would start speaking the reply (epoch ms). */
  speaksAt: number;
  /** The APL document the reply carried for a screen (the breathing shape), or null. */
  screen?: unknown;
}

export interface HubSnapshot {
  now: number;
  homeId: string;
  availability: string | null;
  session: SessionState | null;
  diffuser: DiffuserState | null;
  plug: { name: string; on: boolean | null } | null;
  bedtime: BedtimeState | null;
  lamps: LampView[];
  turn: TurnView | null;
}

export type HubEvent = { [K in keyof Omit<HubSnapshot, 'now' | 'homeId'>]: { type: K; data: HubSnapshot[K]; now: number } }[keyof Omit<HubSnapshot, 'now' | 'homeId'>];

export interface HubOptions {
  mqttUrl: string;
  mqttOptions?: mqtt.IClientOptions;
  homeId: string;
  now: () => number;
  /** The in-process Hue emulator, when the lamps are simulated. */
  hue?: HueEmulator | null;
  /** The simulated plug's Tasmota topic, to show the relay itself. */
  tasmotaTopic?: string | null;
  /** From reply to the voice starting, as the skill assumes. */
  voiceLatencyMs: number;
  pollMs?: number;
}

export class Hub {
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private readonly state: Omit<HubSnapshot, 'now'>;
  private client: MqttClient | null = null;
  private poll: NodeJS.Timeout | null = null;
  private seen = 0;

  constructor(private readonly options: HubOptions) {
    this.state = {
      homeId: options.homeId,
      availability: null,
      session: null,
      diffuser: null,
      plug: options.tasmotaTopic ? { name: `Tasmota plug "${options.tasmotaTopic}"`, on: null } : null,
      bedtime: null,
      lamps: [],
      turn: null,
    };
    const hue = options.hue;
    if (hue) {
      for (const [id, lamp] of hue.lamps) {
        this.state.lamps.push({ id, name: lamp.name, on: lamp.state.on, bri: hue.brightnessAt(id, options.now()), transitionMs: 0, at: options.now() });
      }
    }
  }

  snapshot(): HubSnapshot {
    return { now: this.options.now(), ...structuredClone(this.state) };
  }

  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const topics = homeTopics(this.options.homeId);
    const client = await mqtt.connectAsync(this.options.mqttUrl, {
      ...this.options.mqttOptions,
      clientId: `winddown-dashboard-${Math.random().toString(36).slice(2, 10)}`,
      clean: true,
      reconnectPeriod: 1000,
    });
    this.client = client;
    const plugTopic = this.options.tasmotaTopic ? `stat/${this.options.tasmotaTopic}/POWER` : null;
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      try {
        if (topic === topics.availability) this.set('availability', text);
        else if (topic === topics.sessionState) this.set('session', JSON.parse(text) as SessionState);
        else if (topic === topics.diffuserState) this.set('diffuser', JSON.parse(text) as DiffuserState);
        else if (topic === topics.bedtimeState) this.set('bedtime', JSON.parse(text) as BedtimeState);
        else if (topic === topics.lightsState && !this.options.hue) this.fromLightsState(JSON.parse(text) as { bri: number | null; on: boolean; at: number });
        else if (topic === plugTopic && this.state.plug) this.set('plug', { ...this.state.plug, on: text.toUpperCase() === 'ON' });
      } catch {
        // A state payload that is not JSON is someone else's business; the dashboard shows what it can.
      }
    });
    const subscriptions = [topics.availability, topics.sessionState, topics.diffuserState, topics.bedtimeState, topics.lightsState];
    if (plugTopic) subscriptions.push(plugTopic);
    await client.subscribeAsync(subscriptions, { qos: 1 });
    if (this.options.hue) this.poll = setInterval(() => this.pollHue(), this.options.pollMs ?? 50);
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.listeners.clear();
    await this.client?.endAsync(true);
    this.client = null;
  }

  /** A turn of the conversation, shown as text with its transcript. */
  addTurn(turn: Turn): TurnView {
    const view: TurnView = {
      text: turn.text,
      request: turn.resolved.request,
      intent: turn.resolved.intent,
      slots: turn.resolved.slots,
      speech: turn.speech,
      reprompt: turn.reprompt,
      listening: turn.listening,
      transcript: turn.transcript,
      speaksAt: turn.at + this.options.voiceLatencyMs,
      screen: (turn.response.response.directives?.find((d) => d.type === 'Alexa.Presentation.APL.RenderDocument') as { document?: unknown } | undefined)?.document ?? null,
    };
    this.set('turn', view);
    return view;
  }

  /** New Hue commands since the last look, applied to the lamps they address. */
  private pollHue(): void {
    const hue = this.options.hue;
    if (!hue || hue.commands.length === this.seen) return;
    const fresh = hue.commands.slice(this.seen);
    this.seen = hue.commands.length;
    for (const command of fresh) {
      const ids = command.kind === 'light' ? [command.id] : command.id === '0' ? [...hue.lamps.keys()] : (hue.groups.get(command.id)?.lights ?? []);
      const transitionMs = typeof command.body.transitiontime === 'number' ? command.body.transitiontime * 100 : 400;
      for (const id of ids) {
        const lamp = this.state.lamps.find((l) => l.id === id);
        const real = hue.lamps.get(id);
        if (!lamp || !real) continue;
        lamp.on = real.state.on;
        lamp.bri = real.state.bri;
        lamp.transitionMs = transitionMs;
        lamp.at = command.at;
      }
    }
    this.emit({ type: 'lamps', data: structuredClone(this.state.lamps), now: this.options.now() });
  }

  /** A real Hue bridge: one drawn lamp for the bridge's lights, at the level it last reported. */
  private fromLightsState(state: { bri: number | null; on: boolean; at: number }): void {
    const previous = this.state.lamps[0];
    const lamp: LampView = {
      id: 'hue',
      name: 'Your Hue lights',
      on: state.on,
      bri: state.bri ?? previous?.bri ?? 0,
      transitionMs: previous ? Math.max(0, Math.min(10_000, state.at - previous.at)) : 0,
      at: state.at,
    };
    this.state.lamps = [lamp];
    this.emit({ type: 'lamps', data: [lamp], now: this.options.now() });
  }

  private set<K extends keyof Omit<HubSnapshot, 'now' | 'homeId'>>(type: K, data: HubSnapshot[K]): void {
    (this.state as Record<string, unknown>)[type] = data;
    this.emit({ type, data, now: this.options.now() } as HubEvent);
  }

  private emit(event: HubEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener (a closed browser tab) must not stop the others.
      }
    }
  }
}
