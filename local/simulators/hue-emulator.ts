/**
 * A Hue bridge (v1 REST API) on loopback HTTP, or HTTPS with a certificate whose CN is its bridge id as a
 * real bridge has, good enough for node-hue-api 4: config, full state,
 * lights, groups, light and group state commands, and user creation with a simulated link button.
 * It records every command with its receive time (from an injected clock) and applies transitions
 * to the lamps, so a test can assert what the bridge was told and when, and a simulator UI can draw
 * each lamp's brightness at any moment.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../devices/process/clock';
import { systemClock } from '../../devices/process/clock';

export interface LampState {
  on: boolean;
  bri: number;
  hue: number;
  sat: number;
  effect: string;
  xy: [number, number];
  ct: number;
  alert: string;
  colormode: 'ct' | 'xy' | 'hs';
  mode: string;
  reachable: boolean;
}

export interface Lamp {
  name: string;
  state: LampState;
  /** The running brightness transition, for `brightnessAt`. */
  fade: { from: number; to: number; startAt: number; durationMs: number; endOn: boolean } | null;
}

export interface HueCommand {
  at: number;
  kind: 'light' | 'group';
  id: string;
  body: Record<string, unknown>;
}

export type HueFault = 'error' | 'http503' | 'hang' | null;

export interface HueEmulatorOptions {
  clock?: Clock;
  username?: string;
  /** Lamp names; default three lamps in a "Bedroom" room. */
  lamps?: string[];
  roomName?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM), as a real bridge does: its certificate's CN is the
   * bridge id (EMULATOR_BRIDGE_ID, in lower case), which node-hue-api's createLocal checks.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** The emulator's bridge id, as /api/config reports it. */
export const EMULATOR_BRIDGE_ID = '001788FFFE000001';

const DEFAULT_USERNAME = 'winddown-emulator-user-0000000000000000';

export class HueEmulator {
  readonly clock: Clock;
  readonly username: string;
  readonly usernames = new Set<string>();
  readonly lamps = new Map<string, Lamp>();
  readonly groups = new Map<string, { name: string; type: string; class?: string; lights: string[] }>();
  readonly commands: HueCommand[] = [];
  /** Every request, for tests that check what node-hue-api asked for. */
  readonly requests: { at: number; method: string; path: string }[] = [];
  private fault: HueFault = null;
  private linkPressedUntil = 0;
  private server: http.Server | https.Server | null = null;
  private readonly tls: HueEmulatorOptions['tls'];
  private hung: http.ServerResponse[] = [];
  private userSeq = 0;

  constructor(options: HueEmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.username = options.username ?? DEFAULT_USERNAME;
    this.usernames.add(this.username);
    this.tls = options.tls;
    const names = options.lamps ?? ['Bedside left', 'Bedside right', 'Ceiling'];
    names.forEach((name, i) => {
      this.lamps.set(String(i + 1), {
        name,
        fade: null,
        state: { on: true, bri: 180, hue: 8418, sat: 140, effect: 'none', xy: [0.4573, 0.41], ct: 366, alert: 'none', colormode: 'ct', mode: 'homeautomation', reachable: true },
      });
    });
    this.groups.set('1', { name: options.roomName ?? 'Bedroom', type: 'Room', class: 'Bedroom', lights: [...this.lamps.keys()] });
  }

  async start(port = 0): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handle(req, res);
    const server = this.tls ? https.createServer({ cert: this.tls.cert, key: this.tls.key }, handler) : http.createServer(handler);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('Hue emulator not started');
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.releaseHung();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the bridge misbehave: Hue error bodies, HTTP 503, or requests that never answer. */
  setFault(fault: HueFault): void {
    this.fault = fault;
    if (fault !== 'hang') this.releaseHung();
  }

  /** The link button stays "pressed" for 30 s, as on a real bridge. */
  pressLinkButton(): void {
    this.linkPressedUntil = this.clock.now() + 30_000;
  }

  /** A lamp's brightness at time `at`, following its transition (0 when off). */
  brightnessAt(id: string, at: number): number {
    const lamp = this.lamps.get(id);
    if (!lamp) return 0;
    const fade = lamp.fade;
    if (!fade) return lamp.state.on ? lamp.state.bri : 0;
    const t = fade.durationMs <= 0 ? 1 : Math.min(1, Math.max(0, (at - fade.startAt) / fade.durationMs));
    const value = fade.from + (fade.to - fade.from) * t;
    return t >= 1 && !fade.endOn ? 0 : Math.round(value);
  }

  lightCommands(id?: string): HueCommand[] {
    return this.commands.filter((c) => c.kind === 'light' && (id === undefined || c.id === id));
  }

  private releaseHung(): void {
    for (const res of this.hung) res.destroy();
    this.hung = [];
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = this.clock.now();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      this.requests.push({ at, method, path });
      if (this.fault === 'hang') {
        this.hung.push(res);
        return;
      }
      if (this.fault === 'http503') return send(res, 503, { error: 'service unavailable' });
      if (this.fault === 'error') return send(res, 200, [{ error: { type: 901, address: path, description: 'Internal error, 500' } }]);
      let body: unknown = undefined;
      if (chunks.length > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, 200, [{ error: { type: 2, address: path, description: 'body contains invalid json' } }]);
        }
      }
      send(res, 200, this.route(method, path, body, at));
    });
  }

  private route(method: string, path: string, body: unknown, at: number): unknown {
    const parts = path.split('/').filter((p) => p !== '');
    if (parts[0] !== 'api') return hueError(4, path, 'method, GET, not available for resource, ' + path);
    if (parts.length === 1 && method === 'POST') return this.createUser(body);
    if (parts[1] === 'config' && parts.length === 2) return this.config(false);
    const user = parts[1] ?? '';
    if (!this.usernames.has(user)) return hueError(1, `/${parts.slice(2).join('/')}`, 'unauthorized user');
    const [resource, id, sub] = parts.slice(2);
    if (resource === undefined && method === 'GET') return this.fullState();
    if (resource === 'config' && method === 'GET') return this.config(true);
    if (resource === 'capabilities' && method === 'GET') {
      return { lights: { available: 63 - this.lamps.size, total: 63 }, groups: { available: 64 - this.groups.size, total: 64 }, sensors: { available: 250, total: 250 } };
    }
    if (resource === 'lights') {
      if (id === undefined && method === 'GET') return this.lightsJson();
      const lamp = id === undefined ? undefined : this.lamps.get(id);
      if (!lamp || id === undefined) return hueError(3, path, `resource, /lights/${id}, not available`);
      if (sub === undefined && method === 'GET') return this.lampJson(id, lamp);
      if (sub === 'state' && method === 'PUT') {
        const state = (body ?? {}) as Record<string, unknown>;
        this.commands.push({ at, kind: 'light', id, body: state });
        return this.apply(id, lamp, state, at, `/lights/${id}/state`);
      }
    }
    if (resource === 'groups') {
      if (id === undefined && method === 'POST') {
        const b = (body ?? {}) as { name?: unknown; type?: unknown; lights?: unknown };
        if (typeof b.name !== 'string' || !Array.isArray(b.lights) || b.lights.some((l) => !this.lamps.has(String(l)))) return hueError(7, path, 'invalid value for parameter, lights');
        const gid = String(Math.max(0, ...[...this.groups.keys()].map(Number)) + 1);
        this.groups.set(gid, { name: b.name, type: typeof b.type === 'string' ? b.type : 'LightGroup', lights: b.lights.map(String) });
        return [{ success: { id: gid } }];
      }
      if (id === undefined && method === 'GET') return Object.fromEntries([...this.groups].map(([gid, g]) => [gid, this.groupJson(g)]));
      const group = id === '0' ? { name: 'Group 0', type: 'LightGroup', lights: [...this.lamps.keys()] } : id === undefined ? undefined : this.groups.get(id);
      if (!group || id === undefined) return hueError(3, path, `resource, /groups/${id}, not available`);
      if (sub === undefined && method === 'GET') return this.groupJson(group);
      if (sub === 'action' && method === 'PUT') {
        const state = (body ?? {}) as Record<string, unknown>;
        this.commands.push({ at, kind: 'group', id, body: state });
        const results: unknown[] = [];
        for (const lid of group.lights) {
          const lamp = this.lamps.get(lid);
          if (lamp) this.apply(lid, lamp, state, at, '');
        }
        for (const [key, value] of Object.entries(state)) results.push({ success: { [`/groups/${id}/action/${key}`]: value } });
        return results;
      }
    }
    for (const empty of ['scenes', 'schedules', 'rules', 'sensors', 'resourcelinks']) if (resource === empty && method === 'GET') return {};
    return hueError(4, path, `method, ${method}, not available for resource, ${path}`);
  }

  private apply(id: string, lamp: Lamp, body: Record<string, unknown>, at: number, prefix: string): unknown[] {
    const s = lamp.state;
    const results: unknown[] = [];
    const transitionMs = typeof body.transitiontime === 'number' ? body.transitiontime * 100 : 400;
    const fromBri = this.brightnessAt(id, at);
    let endOn = s.on;
    let toBri = s.bri;
    for (const [key, value] of Object.entries(body)) {
      switch (key) {
        case 'on':
          endOn = value === true;
          break;
        case 'bri':
          if (typeof value !== 'number' || value < 1 || value > 254) return hueError(7, `${prefix}/bri`, `invalid value, ${String(value)}, for parameter, bri`);
          toBri = value;
          break;
        case 'ct':
          s.ct = value as number;
          if (body.xy === undefined) s.colormode = 'ct';
          break;
        case 'xy':
          s.xy = value as [number, number];
          s.colormode = 'xy';
          break;
        case 'hue':
        case 'sat':
          s[key] = value as number;
          s.colormode = 'hs';
          break;
        default:
          break;
      }
      results.push({ success: { [`${prefix}/${key}`]: value } });
    }
    lamp.fade = { from: fromBri, to: endOn ? toBri : Math.max(fromBri > 0 ? 1 : 0, 0), startAt: at, durationMs: transitionMs, endOn };
    if (!endOn) lamp.fade.to = 0;
    s.on = endOn;
    s.bri = toBri;
    return results;
  }

  private createUser(body: unknown): unknown {
    if (this.clock.now() > this.linkPressedUntil) return hueError(101, '', 'link button not pressed');
    const devicetype = (body as { devicetype?: unknown } | undefined)?.devicetype;
    if (typeof devicetype !== 'string') return hueError(5, '/', 'invalid/missing parameters in body');
    const username = `emulated-${++this.userSeq}-${Math.random().toString(36).slice(2, 12)}`;
    this.usernames.add(username);
    return [{ success: { username, clientkey: '0123456789ABCDEF0123456789ABCDEF' } }];
  }

  private config(authenticated: boolean): Record<string, unknown> {
    const base = {
      name: 'Wind Down emulator',
      datastoreversion: '131',
      swversion: '1953188020',
      apiversion: '1.53.0',
      mac: '00:17:88:00:00:01',
      bridgeid: EMULATOR_BRIDGE_ID,
      factorynew: false,
      replacesbridgeid: null,
      modelid: 'BSB002',
      starterkitid: '',
    };
    if (!authenticated) return base;
    return { ...base, ipaddress: '127.0.0.1', netmask: '255.0.0.0', gateway: '127.0.0.1', dhcp: false, linkbutton: this.clock.now() <= this.linkPressedUntil, zigbeechannel: 15, UTC: new Date(this.clock.now()).toISOString().slice(0, 19), whitelist: {} };
  }

  private lampJson(id: string, lamp: Lamp): Record<string, unknown> {
    return {
      state: { ...lamp.state },
      swupdate: { state: 'noupdates', lastinstall: '2024-01-01T00:00:00' },
      type: 'Extended color light',
      name: lamp.name,
      modelid: 'LCT015',
      manufacturername: 'Signify Netherlands B.V.',
      productname: 'Hue color lamp',
      capabilities: { certified: true, control: { mindimlevel: 1000, maxlumen: 806, colorgamuttype: 'C', colorgamut: [[0.6915, 0.3083], [0.17, 0.7], [0.1532, 0.0475]], ct: { min: 153, max: 500 } }, streaming: { renderer: true, proxy: true } },
      config: { archetype: 'sultanbulb', function: 'mixed', direction: 'omnidirectional' },
      uniqueid: `00:17:88:01:00:00:00:0${id}-0b`,
      swversion: '1.88.1',
    };
  }

  private lightsJson(): Record<string, unknown> {
    return Object.fromEntries([...this.lamps].map(([id, lamp]) => [id, this.lampJson(id, lamp)]));
  }

  private groupJson(g: { name: string; type: string; class?: string; lights: string[] }): Record<string, unknown> {
    const lamps = g.lights.map((id) => this.lamps.get(id)).filter((l): l is Lamp => l !== undefined);
    const first = lamps[0]?.state;
    return {
      name: g.name,
      lights: g.lights,
      sensors: [],
      type: g.type,
      ...(g.class ? { class: g.class } : {}),
      state: { all_on: lamps.every((l) => l.state.on), any_on: lamps.some((l) => l.state.on) },
      recycle: false,
      action: first ? { on: first.on, bri: first.bri, hue: first.hue, sat: first.sat, effect: 'none', xy: first.xy, ct: first.ct, alert: 'none', colormode: first.colormode } : { on: false },
    };
  }

  private fullState(): Record<string, unknown> {
    return {
      lights: this.lightsJson(),
      groups: Object.fromEntries([...this.groups].map(([gid, g]) => [gid, this.groupJson(g)])),
      config: this.config(true),
      schedules: {},
      scenes: {},
      rules: {},
      sensors: {},
      resourcelinks: {},
    };
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function hueError(type: number, address: string, description: string): unknown[] {
  return [{ error: { type, address, description } }];
}
