/**
 * Everything the dashboard (and `winddown say`) shows, kept in one place and pushed to listeners as it
 * changes. The home's state comes from its retained MQTT state topics, exactly as any dashboard would
 * read it; a session the home was sent but has not reported yet comes from the command topic; the
 * lamps come from the simulated Hue bridge's own record of each lamp's transition (from what level, to
 * what level, over how long) when it runs in-process, otherwise from the bridge's lights state topic;
 * the conversation comes from the turns typed here.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { BedtimeState, BridgeCapabilities, DiffuserState, SessionState } from '../../src/protocol/messages';
import { homeTopics } from '../../src/protocol/topics';
import type { Turn } from '../conversation';
import type { HueEmulator } from '../simulators/hue-emulator';
import type { Transcript } from '../transcript';
import { lampLevel, type LampView, type StartingView } from './activity';
import { verifySigned, type HomeKey } from '../../src/protocol/signing';

export type { LampView, StartingView };

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
  starting: StartingView | null;
  diffuser: DiffuserState | null;
  plug: { name: string; on: boolean | null } | null;
  bedtime: BedtimeState | null;
  /** What the home has to work with, as its bridge reports it (who switches the diffuser off). */
  bridge: BridgeCapabilities | null;
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
  /** The home's key: only commands signed with it are shown as starting (as only they will run). */
  homeKey?: HomeKey;
  pollMs?: number;
  /** How long after its start a session the home has not reported stops being shown as starting. */
  startingGraceMs?: number;
}

/** Long enough for the bridge to read the lamps and send the first breath, short enough not to mislead. */
const STARTING_GRACE_MS = 15_000;

/** The parts of a session start (from the command topic) the dashboard shows; anything else is ignored. */
function sessionStartOf(command: unknown): (StartingView & { endTransitionMs: number | null }) | null {
  const c = command as { type?: unknown; sessionId?: unknown; title?: unknown; startAt?: unknown; fromMs?: unknown; lights?: { totalMs?: unknown; endTransitionMs?: unknown } } | null;
  if (c?.type !== 'session.start' || typeof c.sessionId !== 'string' || typeof c.startAt !== 'number') return null;
  const totalMs = typeof c.lights?.totalMs === 'number' ? c.lights.totalMs : 0;
  const fromMs = typeof c.fromMs === 'number' ? c.fromMs : 0;
  return {
    sessionId: c.sessionId,
    title: typeof c.title === 'string' ? c.title : 'Session',
    startAt: c.startAt - fromMs,
    totalMs,
    endTransitionMs: typeof c.lights?.endTransitionMs === 'number' ? c.lights.endTransitionMs : null,
  };
}

export class Hub {
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private readonly state: Omit<HubSnapshot, 'now'>;
  private client: MqttClient | null = null;
  private poll: NodeJS.Timeout | null = null;
  private startingTimer: NodeJS.Timeout | null = null;
  /** The last session's fade at its end, for lamps whose transitions the hub does not see (a real bridge). */
  private endTransitionMs = 0;
  private seen = 0;

  constructor(private readonly options: HubOptions) {
    this.state = {
      homeId: options.homeId,
      availability: null,
      session: null,
      starting: null,
      diffuser: null,
      plug: options.tasmotaTopic ? { name: `Tasmota plug "${options.tasmotaTopic}"`, on: null } : null,
      bedtime: null,
      bridge: null,
      lamps: [],
      turn: null,
    };
    const hue = options.hue;
    if (hue) {
      for (const [id, lamp] of hue.lamps) {
        const level = hue.brightnessAt(id, options.now());
        this.state.lamps.push({ id, name: lamp.name, on: lamp.state.on, bri: lamp.state.bri, from: level, transitionMs: 0, at: options.now() });
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
        else if (topic === topics.sessionState) this.onSession(JSON.parse(text) as SessionState);
        else if (topic === topics.command) {
          const signed = this.options.homeKey ? verifySigned(this.options.homeKey, text) : null;
          if (signed?.ok) this.onCommand(JSON.parse(signed.commandText) as unknown);
        }
        else if (topic === topics.diffuserState) this.set('diffuser', JSON.parse(text) as DiffuserState);
        else if (topic === topics.bedtimeState) this.set('bedtime', JSON.parse(text) as BedtimeState);
        else if (topic === topics.bridgeState) this.set('bridge', JSON.parse(text) as BridgeCapabilities);
        else if (topic === topics.lightsState && !this.options.hue) this.fromLightsState(JSON.parse(text) as { bri: number | null; on: boolean; at: number });
        else if (topic === plugTopic && this.state.plug) this.set('plug', { ...this.state.plug, on: text.toUpperCase() === 'ON' });
      } catch {
        // A state payload that is not JSON is someone else's business; the dashboard shows what it can.
      }
    });
    const subscriptions = [topics.availability, topics.sessionState, topics.diffuserState, topics.bedtimeState, topics.bridgeState, topics.lightsState];
    if (plugTopic) subscriptions.push(plugTopic);
    await client.subscribeAsync(subscriptions, { qos: 1 });
    // A broker with access rules may not let a dashboard read the commands: then "starting" is not shown.
    await client.subscribeAsync(topics.command, { qos: 0 }).catch(() => undefined);
    if (this.options.hue) this.poll = setInterval(() => this.pollHue(), this.options.pollMs ?? 50);
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    if (this.startingTimer) clearTimeout(this.startingTimer);
    this.startingTimer = null;
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

  /** New Hue commands since the last look: each lamp they reached, with the transition it is in now. */
  private pollHue(): void {
    const hue = this.options.hue;
    if (!hue || hue.commands.length === this.seen) return;
    const fresh = hue.commands.slice(this.seen);
    this.seen = hue.commands.length;
    const touched = new Set<string>();
    for (const command of fresh) {
      const ids = command.kind === 'light' ? [command.id] : command.id === '0' ? [...hue.lamps.keys()] : (hue.groups.get(command.id)?.lights ?? []);
      for (const id of ids) touched.add(id);
    }
    for (const id of touched) {
      const lamp = this.state.lamps.find((l) => l.id === id);
      const real = hue.lamps.get(id);
      if (!lamp || !real) continue;
      lamp.on = real.state.on;
      lamp.bri = real.state.bri;
      const fade = real.fade;
      lamp.from = fade ? fade.from : lamp.on ? lamp.bri : 0;
      lamp.transitionMs = fade ? fade.durationMs : 0;
      lamp.at = fade ? fade.startAt : this.options.now();
    }
    this.emit({ type: 'lamps', data: structuredClone(this.state.lamps), now: this.options.now() });
  }

  /**
   * A real Hue bridge: one drawn lamp for the bridge's lights, at the level it last reported. A report
   * without a level is the end of a session: the lights fade over the session's end transition.
   */
  private fromLightsState(state: { bri: number | null; on: boolean; at: number }): void {
    const previous = this.state.lamps[0];
    const level = previous ? lampLevel(previous, state.at) : 0;
    const lamp: LampView = {
      id: 'hue',
      name: 'Your Hue lights',
      on: state.on,
      bri: state.bri ?? previous?.bri ?? 0,
      from: level,
      transitionMs: state.bri === null ? this.endTransitionMs : previous ? Math.max(0, Math.min(10_000, state.at - previous.at)) : 0,
      at: state.at,
    };
    this.state.lamps = [lamp];
    this.emit({ type: 'lamps', data: [lamp], now: this.options.now() });
  }

  /** The bridge's own report wins over "starting" once it is about the session that was sent. */
  private onSession(session: SessionState): void {
    // The bridge reports after the lamps took its command: show them first, so that no listener sees a
    // session ended while the lamps still seem to be mid-breath.
    this.pollHue();
    // The new state first, then "starting" cleared: a listener never sees neither.
    this.set('session', session);
    const starting = this.state.starting;
    if (starting && session.sessionId === starting.sessionId && session.status !== 'idle') this.setStarting(null);
  }

  private onCommand(command: unknown): void {
    const start = sessionStartOf(command);
    if (start) {
      if (start.endTransitionMs !== null) this.endTransitionMs = start.endTransitionMs;
      // A later part of a session that is already running is not a new start.
      const session = this.state.session;
      if (session?.sessionId === start.sessionId && session.status !== 'idle') return;
      this.setStarting({ sessionId: start.sessionId, title: start.title, startAt: start.startAt, totalMs: start.totalMs });
    } else if ((command as { type?: unknown } | null)?.type === 'session.stop') this.setStarting(null);
  }

  private setStarting(starting: StartingView | null): void {
    if (this.startingTimer) clearTimeout(this.startingTimer);
    this.startingTimer = null;
    if (starting) {
      // A start the home never reports (it was offline, or dropped the command) is not shown for ever.
      const wait = Math.max(0, starting.startAt - this.options.now()) + (this.options.startingGraceMs ?? STARTING_GRACE_MS);
      this.startingTimer = setTimeout(() => {
        if (this.state.starting?.sessionId === starting.sessionId) this.setStarting(null);
      }, wait);
      this.startingTimer.unref();
    }
    if (starting === null && this.state.starting === null) return;
    this.set('starting', starting);
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
