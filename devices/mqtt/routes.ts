/**
 * Which unit handles which topic, as a table: each unit adds the exact topics it owns, the bridge
 * subscribes to them all on every connect, and a message goes to its topic's handler and nowhere else.
 */
export interface Route {
  topic: string;
  /** The subscription's QoS: 0 where nothing sent while the bridge was away may be acted on later. */
  qos: 0 | 1;
  handle(payload: Buffer, retained: boolean): void;
}

export class TopicRoutes {
  private readonly table = new Map<string, Route>();

  /** A topic has one owner: a second route for it is a wiring mistake, found at start. */
  add(...routes: Route[]): void {
    for (const route of routes) {
      if (this.table.has(route.topic)) throw new Error(`two handlers for ${route.topic}`);
      this.table.set(route.topic, route);
    }
  }

  subscriptions(): Record<string, { qos: 0 | 1 }> {
    return Object.fromEntries([...this.table.values()].map((route) => [route.topic, { qos: route.qos }]));
  }

  /** Hands the message to its topic's handler; false when no unit owns the topic. */
  dispatch(topic: string, payload: Buffer, retained: boolean): boolean {
    const route = this.table.get(topic);
    route?.handle(payload, retained);
    return route !== undefined;
  }
}
