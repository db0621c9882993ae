/** Publishes on the plug's broker. QoS 1: a command given while the broker is away is sent when it is back. */
export interface Publisher {
  publish(topic: string, payload: string, options?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
}

/** A smart plug switched over MQTT. One implementation per firmware. */
export interface Plug {
  readonly kind: string;
  /** Whether the plug has its own auto-off timer, so a crashed bridge cannot leave it on. */
  readonly hasOwnTimer: boolean;
  /**
   * Switches the plug. When switching on, `autoOffSeconds` asks the plug itself to switch off again
   * after that long (where it can); the bridge's own deadline applies in every case.
   */
  set(on: boolean, autoOffSeconds?: number): Promise<void>;
  /** Topics a dashboard or test could read the plug's state from. */
  describe(): string;
}
