/**
 * Plugs that behave like the real firmware on an MQTT broker: Tasmota (POWER, PulseTime, stat/tele
 * replies), Shelly Gen2 (Switch.Set RPC with toggle_after), Zigbee2MQTT (JSON set/state) and a plain
 * topic plug. Their own timers run on an injected clock. For tests and the local simulator.
 */
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Clock, TimerHandle } from '../../devices/process/clock';
import { systemClock } from '../../devices/process/clock';
import { tasmotaPulseTime } from '../../devices/plugs/tasmota';

export interface PlugEvent {
  at: number;
  on: boolean;
  /** What switched it: a command, or the plug's own timer. */
  by: 'command' | 'timer';
}

export abstract class SimulatedPlug {
  on = false;
  readonly history: PlugEvent[] = [];
  /** Every raw message received on a command topic. */
  readonly received: { at: number; topic: string; payload: string }[] = [];
  protected client: MqttClient | null = null;
  protected timer: TimerHandle | null = null;

  constructor(
    protected readonly brokerUrl: string,
    protected readonly clock: Clock = systemClock,
  ) {}

  protected abstract get topics(): string[];
  protected abstract handle(topic: string, payload: string): void;
  protected announce(): void {}

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.brokerUrl, { clientId: `fake-plug-${this.constructor.name}-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 100 });
    this.client = client;
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      this.received.push({ at: this.clock.now(), topic, payload: text });
      this.handle(topic, text);
    });
    await client.subscribeAsync(this.topics, { qos: 1 });
    this.announce();
  }

  async stop(): Promise<void> {
    this.clock.clearTimer(this.timer);
    await this.client?.endAsync(true);
    this.client = null;
  }

  protected switchTo(on: boolean, by: PlugEvent['by']): void {
    this.on = on;
    this.history.push({ at: this.clock.now(), on, by });
    this.report();
  }

  protected autoOffAfter(ms: number): void {
    this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(this.clock.now() + ms, () => {
      this.timer = null;
      if (this.on) this.switchTo(false, 'timer');
    });
  }

  protected cancelAutoOff(): void {
    this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  protected abstract report(): void;

  protected publish(topic: string, payload: string, retain = false): void {
    this.client?.publish(topic, payload, { qos: 1, retain });
  }
}

/** Tasmota: cmnd/<t>/POWER and cmnd/<t>/PulseTime; replies on stat/<t>/POWER and stat/<t>/RESULT. */
export class SimulatedTasmota extends SimulatedPlug {
  pulseTime = 0;

  constructor(
    readonly topic: string,
    brokerUrl: string,
    clock?: Clock,
  ) {
    super(brokerUrl, clock);
  }

  protected get topics(): string[] {
    return [`cmnd/${this.topic}/POWER`, `cmnd/${this.topic}/PulseTime`];
  }

  protected override announce(): void {
    this.publish(`tele/${this.topic}/LWT`, 'Online', true);
  }

  protected handle(topic: string, payload: string): void {
    if (topic.endsWith('/PulseTime')) {
      const value = Number(payload);
      if (Number.isInteger(value) && value >= 0 && value <= 64_900) this.pulseTime = value;
      this.publish(`stat/${this.topic}/RESULT`, JSON.stringify({ PulseTime1: { Set: this.pulseTime, Remaining: 0 } }));
      return;
    }
    const command = payload.toUpperCase();
    const on = command === 'ON' || command === '1' ? true : command === 'OFF' || command === '0' ? false : command === 'TOGGLE' ? !this.on : null;
    if (on === null) return;
    if (on && this.pulseTime > 0) this.autoOffAfter(this.pulseTime <= 111 ? this.pulseTime * 100 : (this.pulseTime - 100) * 1000);
    if (!on) this.cancelAutoOff();
    this.switchTo(on, 'command');
  }

  /** The auto-off a PulseTime value stands for, in ms (for assertions). */
  static pulseMs(value: number): number {
    return value <= 111 ? value * 100 : (value - 100) * 1000;
  }

  protected report(): void {
    const state = this.on ? 'ON' : 'OFF';
    this.publish(`stat/${this.topic}/POWER`, state);
    this.publish(`stat/${this.topic}/RESULT`, JSON.stringify({ POWER: state }));
  }
}

/** Shelly Gen2: `<id>/rpc` Switch.Set; replies to `<src>/rpc`; status on `<id>/status/switch:0`. */
export class SimulatedShelly extends SimulatedPlug {
  lastToggleAfter: number | null = null;

  constructor(
    readonly deviceId: string,
    brokerUrl: string,
    clock?: Clock,
  ) {
    super(brokerUrl, clock);
  }

  protected get topics(): string[] {
    return [`${this.deviceId}/rpc`];
  }

  protected override announce(): void {
    this.publish(`${this.deviceId}/online`, 'true', true);
  }

  protected handle(_topic: string, payload: string): void {
    let req: { id?: unknown; src?: unknown; method?: unknown; params?: { id?: unknown; on?: unknown; toggle_after?: unknown } };
    try {
      req = JSON.parse(payload) as typeof req;
    } catch {
      return;
    }
    const src = typeof req.src === 'string' ? req.src : null;
    const reply = (body: Record<string, unknown>) => src && this.publish(`${src}/rpc`, JSON.stringify({ id: req.id, src: this.deviceId, dst: src, ...body }));
    if (req.method !== 'Switch.Set' || req.params?.id !== 0 || typeof req.params.on !== 'boolean') {
      reply({ error: { code: -103, message: 'Invalid argument' } });
      return;
    }
    const wasOn = this.on;
    const toggleAfter = typeof req.params.toggle_after === 'number' ? req.params.toggle_after : null;
    this.lastToggleAfter = toggleAfter;
    // toggle_after flips the output back after that many seconds, whichever way it was set.
    if (toggleAfter !== null && toggleAfter > 0) {
      const target = req.params.on;
      this.clock.clearTimer(this.timer);
      this.timer = this.clock.setTimer(this.clock.now() + toggleAfter * 1000, () => {
        this.timer = null;
        if (this.on === target) this.switchTo(!target, 'timer');
      });
    } else this.cancelAutoOff();
    this.switchTo(req.params.on, 'command');
    reply({ result: { was_on: wasOn } });
  }

  protected report(): void {
    this.publish(`${this.deviceId}/status/switch:0`, JSON.stringify({ id: 0, source: 'MQTT', output: this.on }));
  }
}

/** Zigbee2MQTT: `zigbee2mqtt/<name>/set` {"state":"ON", "on_time"?: s}; state on `zigbee2mqtt/<name>`. */
export class SimulatedZigbeePlug extends SimulatedPlug {
  constructor(
    readonly name: string,
    brokerUrl: string,
    clock?: Clock,
  ) {
    super(brokerUrl, clock);
  }

  protected get topics(): string[] {
    return [`zigbee2mqtt/${this.name}/set`];
  }

  protected override announce(): void {
    this.publish(`zigbee2mqtt/${this.name}/availability`, JSON.stringify({ state: 'online' }), true);
  }

  protected handle(_topic: string, payload: string): void {
    let body: { state?: unknown; on_time?: unknown };
    try {
      body = JSON.parse(payload) as typeof body;
    } catch {
      return;
    }
    const state = typeof body.state === 'string' ? body.state.toUpperCase() : null;
    if (state === 'ON') {
      this.switchTo(true, 'command');
      if (typeof body.on_time === 'number' && body.on_time > 0) this.autoOffAfter(body.on_time * 1000);
      else this.cancelAutoOff();
    } else if (state === 'OFF') {
      this.cancelAutoOff();
      this.switchTo(false, 'command');
    }
    else if (state === 'TOGGLE') this.switchTo(!this.on, 'command');
  }

  protected report(): void {
    this.publish(`zigbee2mqtt/${this.name}`, JSON.stringify({ state: this.on ? 'ON' : 'OFF' }), true);
  }
}

/** A plug with one command topic and two payloads. */
export class SimulatedPlainPlug extends SimulatedPlug {
  constructor(
    readonly topic: string,
    readonly onPayload: string,
    readonly offPayload: string,
    brokerUrl: string,
    clock?: Clock,
  ) {
    super(brokerUrl, clock);
  }

  protected get topics(): string[] {
    return [this.topic];
  }

  protected handle(_topic: string, payload: string): void {
    if (payload === this.onPayload) this.switchTo(true, 'command');
    else if (payload === this.offPayload) this.switchTo(false, 'command');
  }

  protected report(): void {}
}

export { tasmotaPulseTime };
