import type { PlugKind, PlugSwitch, Publisher } from './types';

export interface ShellyRpc {
  id: number;
  src: string;
  method: 'Switch.Set';
  params: { id: 0; on: boolean; toggle_after?: number };
}

/** The Gen2 RPC request for switch 0; `toggle_after` is the plug's own flip-back (auto-off) timer. */
export function shellySwitchSet(requestId: number, src: string, on: boolean, autoOffSeconds?: number): ShellyRpc {
  const params: ShellyRpc['params'] = { id: 0, on };
  if (on && autoOffSeconds !== undefined && autoOffSeconds > 0) params.toggle_after = Math.round(autoOffSeconds);
  return { id: requestId, src, method: 'Switch.Set', params };
}

/** Shelly Gen2/Gen3: RPC over MQTT on `<device id>/rpc`; replies go to `<src>/rpc`. */
export class ShellyPlug implements PlugSwitch {
  private requestId = 0;

  constructor(
    private readonly deviceId: string,
    private readonly mqtt: Publisher,
    private readonly src: string,
  ) {}

  async set(on: boolean, autoOffSeconds?: number): Promise<void> {
    this.requestId += 1;
    await this.mqtt.publish(`${this.deviceId}/rpc`, JSON.stringify(shellySwitchSet(this.requestId, this.src, on, autoOffSeconds)), { qos: 1 });
  }

  describe(): string {
    return `shelly ${this.deviceId}/rpc (state on ${this.deviceId}/status/switch:0)`;
  }
}

export const shelly: PlugKind<{ kind: 'shelly'; deviceId: string }> = {
  kind: 'shelly',
  usage: 'shelly:<device id>',
  // Switch.Set's toggle_after is part of the Gen2 RPC every such plug speaks.
  timesItself: true,
  parse: (rest) => ({ kind: 'shelly', deviceId: rest }),
  create: (spec, link) => new ShellyPlug(spec.deviceId, link.mqtt, link.clientId),
};
