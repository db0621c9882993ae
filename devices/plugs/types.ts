/** Publishes on the plug's broker. QoS 1: a command given while the broker is away is sent when it is back. */
export interface Publisher {
  publish(topic: string, payload: string, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
}

/** One firmware's way of switching a plug over MQTT. */
export interface PlugSwitch {
  /**
   * Switches the plug. When switching on, `autoOffSeconds` asks the plug itself to switch off again
   * after that long (where it can); the bridge's own deadline applies in every case.
   */
  set(on: boolean, autoOffSeconds?: number): Promise<void>;
  /** Topics a dashboard or test could read the plug's state from. */
  describe(): string;
}

/** The diffuser's plug as the bridge holds it: a switch, with what its kind says about it. */
export interface Plug extends PlugSwitch {
  readonly kind: string;
  /**
   * Whether every ON also arms a timer in the plug that the bridge can count on, so a bridge that
   * dies cannot leave it on. False: only the bridge is sure to switch it off (it says so at start and
   * on its retained state as `diffuserOffBy: 'bridge'`).
   */
  readonly hasOwnTimer: boolean;
}

/** What a plug's switch is made with: the broker it is reached on, and the bridge's client id. */
export interface PlugLink {
  mqtt: Publisher;
  clientId: string;
}

/**
 * One kind of plug, everything about it in its own file: the name `WINDDOWN_DIFFUSER` gives it, the
 * usage line, the parser of what follows `<kind>:`, the factory, and whether it times itself.
 */
export interface PlugKind<Spec extends { kind: string }> {
  readonly kind: Spec['kind'];
  /** As the usage text shows it, e.g. `tasmota:<topic>`. */
  readonly usage: string;
  /** See `Plug.hasOwnTimer`: one flag per kind, which every plug of the kind carries. */
  readonly timesItself: boolean;
  /** What follows `<kind>:` (non-empty, no MQTT wildcards), or the problem with it ("expected …"). */
  parse(rest: string): Spec | string;
  create(spec: Spec, link: PlugLink): PlugSwitch;
}
