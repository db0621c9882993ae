/**
 * Philips Hue over the bridge's v1 REST API, through node-hue-api 4. One command per breath phase:
 * target brightness with the phase's transition. Many lights go through a group (one command reaches
 * them together; node-hue-api spaces group commands 1 s apart, light commands 60 ms apart).
 *
 * This adapter never retries on its own: a failed command is reported, and the scheduler decides what
 * the lights should do *now* (a late replay of an old phase would put the lights out of step).
 */
import './env';
import type https from 'node:https';
import { v3 } from 'node-hue-api';
import type { HueSettings } from '../../config';
import type { Logger } from '../../process/log';
import { scrubSecrets } from '../../process/secrets';
import { certificateFingerprint, fingerprintMismatch, PinnedAgent } from './pin';
import { StepSender } from './step-sender';
import { LightsError } from '../types';
import type { LightTarget, Lights, SavedLight } from '../types';

/** The slice of node-hue-api's Api this adapter uses (its own typings are looser than this). */
interface HueLightModel {
  id: number | string;
  name: string;
  type: string;
  /** The light's state as the bridge reported it with the list. */
  state?: Record<string, unknown>;
  getSupportedStates(): string[];
}
interface HueGroupModel {
  id: number | string;
  name: string;
  type: string;
  lights: string[];
}
export interface HueApi {
  lights: {
    getAll(): Promise<HueLightModel[]>;
    getLightState(id: number): Promise<Record<string, unknown>>;
    setLightState(id: number, state: Record<string, unknown>): Promise<boolean>;
  };
  groups: {
    getAll(): Promise<HueGroupModel[]>;
    getGroup(id: number | string): Promise<HueGroupModel>;
    setGroupState(id: number | string, state: Record<string, unknown>): Promise<boolean>;
    createGroup(group: unknown): Promise<HueGroupModel>;
  };
  users: { createUser(app: string, device: string): Promise<{ username: string; clientkey?: string }> };
  getCachedState(): Promise<unknown>;
  getLightDefinition(id: number): Promise<HueLightModel | undefined>;
  _getTransport?: () => { _axios?: { defaults: { timeout?: number; httpsAgent?: unknown; baseURL?: string } }; configureLimiter?: (config: { maxConcurrent: number | null; minTime: number }) => void };
}

/** Above this many lights, commands go to a group rather than to each light. */
export const GROUP_ABOVE_LIGHTS = 3;
/** The light group the bridge creates for many lights when no group holds exactly them. */
export const OWN_GROUP_NAME = 'Wind Down';
export const DEFAULT_HUE_TIMEOUT_MS = 3000;
/**
 * How long a step takes from `set()` to the request reaching the bridge: one request on a kept-alive
 * connection (step-sender.ts), about 1 ms on loopback against the emulator (bench/README.md, the
 * scheduling figures). The scheduler hands each step over this much early so it lands on its deadline.
 */
export const HUE_DISPATCH_LEAD_MS = 3;
/**
 * node-hue-api's transport queue also keeps 50 ms between *any* two requests, reads included, so the
 * first breath command waited behind the read of the lamps. Hue's rate guidance is about commands to
 * lights and groups, which node-hue-api's own light (60 ms) and group (1 s) queues keep enforcing.
 */
const TRANSPORT_LIMITER = { maxConcurrent: 4, minTime: 0 };

interface CertificateFetcher {
  get(host: string, timeout?: number, port?: number, protocol?: string): Promise<unknown>;
}
/** The port each HTTPS Hue host is reached on, for the certificate check (see `checkCertificateOnPort`). */
const certificatePorts = new Map<string, number>();
let certificateFetcherPatched = false;

/**
 * node-hue-api's `createLocal(host, port)` sends its requests to `port`, but checks the certificate
 * (its CN must be the bridge id) with get-ssl-certificate on `host`:443 whatever the port: fine for a
 * real bridge, wrong for one behind another port (an emulator, a port forward), where it would check
 * whatever answers on 443, or fail. Its fetch also has no timeout. This teaches the very module
 * node-hue-api loaded to use the port the bridge is reached on, and to give up after `timeoutMs`.
 */
function checkCertificateOnPort(host: string, port: number, timeoutMs: number): void {
  certificatePorts.set(host, port);
  if (certificateFetcherPatched) return;
  // The same module instance node-hue-api requires, from node_modules and inside the bundle alike.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fetcher = require('get-ssl-certificate') as CertificateFetcher;
  const original = fetcher.get.bind(fetcher);
  fetcher.get = (target, timeout, targetPort, protocol) => original(target, timeout ?? timeoutMs, targetPort ?? certificatePorts.get(target), protocol);
  certificateFetcherPatched = true;
}

/**
 * Connects to a Hue bridge: HTTPS through node-hue-api's `createLocal` (the certificate's CN must be
 * the bridge id; a real bridge is on 443) or plain HTTP for emulators.
 */
export async function connectHue(settings: Pick<HueSettings, 'host' | 'port' | 'secure' | 'fingerprint'>, username: string | undefined, timeoutMs = DEFAULT_HUE_TIMEOUT_MS): Promise<HueApi> {
  try {
    return await openHue(settings, username, timeoutMs);
  } catch (error) {
    throw hueFailure(error, username);
  }
}

/**
 * node-hue-api's errors carry the request URL (and so the username) in their message and in their own
 * properties, which a logger would print: only a new error with a scrubbed message leaves this module.
 */
export function hueFailure(error: unknown, username: string | undefined): LightsError {
  const secrets = username ? [username] : [];
  if (error instanceof LightsError) {
    const again = new LightsError(scrubSecrets(error.message, secrets));
    if (error.hueErrorType !== undefined) again.hueErrorType = error.hueErrorType;
    return again;
  }
  const e = error as { message?: unknown; getHueErrorType?: () => unknown } | null;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : 'request failed';
  const type = typeof e?.getHueErrorType === 'function' ? e.getHueErrorType() : undefined;
  const failure = new LightsError(scrubSecrets(`Hue: ${message}${typeof type === 'number' ? ` (Hue error ${type})` : ''}`, secrets));
  if (typeof type === 'number') failure.hueErrorType = type;
  return failure;
}

async function openHue(settings: Pick<HueSettings, 'host' | 'port' | 'secure' | 'fingerprint'>, username: string | undefined, timeoutMs: number): Promise<HueApi> {
  const pinned = settings.secure ? (settings.fingerprint ?? null) : null;
  if (settings.secure) {
    const port = settings.port ?? 443;
    // Refused before node-hue-api asks the bridge anything, with a message that says why.
    if (pinned !== null) {
      const presented = await certificateFingerprint(settings.host, port, timeoutMs);
      if (presented !== pinned) throw fingerprintMismatch(settings.host, port, presented, pinned);
    }
    checkCertificateOnPort(settings.host, port, timeoutMs);
  }
  const api = (
    settings.secure
      ? await v3.api.createLocal(settings.host, settings.port).connect(username, undefined, timeoutMs)
      : await (v3.api.createInsecureLocal(settings.host, settings.port).connect(username, undefined) as Promise<unknown>)
  ) as HueApi;
  // node-hue-api's HTTP client has no timeout, and its queue waits for a hung request forever.
  const transport = api._getTransport?.();
  if (transport?._axios) transport._axios.defaults.timeout = timeoutMs;
  if (pinned !== null) {
    // Every later connection too: one that presents another certificate never gets the request.
    if (!transport?._axios) throw new LightsError('cannot pin the Hue bridge certificate with this node-hue-api: refusing to connect');
    transport._axios.defaults.httpsAgent = new PinnedAgent(pinned, timeoutMs);
  }
  transport?.configureLimiter?.(TRANSPORT_LIMITER);
  const cached = await api.getCachedState();
  if (cached === null || cached === undefined) throw new LightsError(`Hue bridge at ${settings.host} did not return its state (is the username right?)`);
  return api;
}

export interface HueLightsOptions {
  settings: HueSettings;
  log: Logger;
  timeoutMs?: number;
  /** For tests: connect some other way. */
  connect?: () => Promise<HueApi>;
  /** Default HUE_DISPATCH_LEAD_MS. */
  dispatchLeadMs?: number;
  /** The local run's own simulated bridge: plain HTTP is expected there, so nothing warns about it. */
  simulator?: boolean;
}

export class HueLights implements Lights {
  private api: HueApi | null = null;
  private connecting: Promise<HueApi> | null = null;
  private lightIds: number[] = [];
  private groupId: string | null = null;
  private supported = new Map<number, Set<string>>();
  /** The steps' own way to the bridge (null: an injected API without node-hue-api's transport). */
  private steps: StepSender | null = null;

  readonly dispatchLeadMs: number;

  constructor(private readonly options: HueLightsOptions) {
    this.dispatchLeadMs = options.dispatchLeadMs ?? HUE_DISPATCH_LEAD_MS;
  }

  /** Runs a Hue request; what it throws leaves without the username (see `hueFailure`). */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw hueFailure(error, this.options.settings.username);
    }
  }

  /** Connects (once; again after a failed attempt) and works out which lights and group to drive. */
  private ensure(): Promise<HueApi> {
    if (this.api) return Promise.resolve(this.api);
    this.connecting ??= this.guard(() => this.open()).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<HueApi> {
    const { settings, log } = this.options;
    const api = this.options.connect ? await this.options.connect() : await connectHue(settings, settings.username, this.options.timeoutMs);
    const lights = await api.lights.getAll();
    for (const light of lights) this.supported.set(Number(light.id), new Set(light.getSupportedStates()));
    if (settings.group !== null) {
      const groups = await api.groups.getAll();
      const wanted = settings.group.toLowerCase();
      const group = groups.find((g) => String(g.id) === settings.group) ?? groups.find((g) => g.name.toLowerCase() === wanted);
      if (!group) throw new LightsError(`WINDDOWN_HUE_GROUP ${settings.group}: no such group or room (${groups.map((g) => `${g.id} ${g.name}`).join(', ')})`);
      this.groupId = String(group.id);
      this.lightIds = group.lights.map(Number);
    } else {
      this.lightIds = settings.lights ?? [];
      const missing = this.lightIds.filter((id) => !this.supported.has(id));
      if (missing.length > 0) throw new LightsError(`WINDDOWN_HUE_LIGHTS: no light ${missing.join(', ')} on this bridge`);
      if (this.lightIds.length > GROUP_ABOVE_LIGHTS) {
        // Many lights: a group command reaches them together instead of fanning out 60 ms apart.
        const groups = await api.groups.getAll();
        const key = [...this.lightIds].sort((a, b) => a - b).join(',');
        const match = groups.find((g) => g.id !== 0 && g.id !== '0' && [...g.lights.map(Number)].sort((a, b) => a - b).join(',') === key);
        if (match) this.groupId = String(match.id);
        else this.groupId = await this.createOwnGroup(api);
      }
    }
    if (!settings.secure) {
      if (!this.options.simulator) log.warn({ url: settings.url }, 'plain HTTP to the Hue bridge: fine for an emulator; use https://<bridge-ip> for a real bridge');
    } else if (!settings.fingerprint) log.warn({ url: settings.url }, 'no WINDDOWN_HUE_FINGERPRINT: the bridge\'s certificate is only checked by name; run `winddown hue pair` again to record it');
    log.info({ lights: this.lightIds, group: this.groupId }, 'connected to Hue bridge');
    this.steps = stepSenderFor(api, settings, this.options.timeoutMs ?? DEFAULT_HUE_TIMEOUT_MS);
    this.api = api;
    return api;
  }

  /**
   * A LightGroup (hidden in the Hue app) holding exactly the session's lights: one group command
   * reaches them together, where per-light commands would leave 60 ms apart each.
   */
  private async createOwnGroup(api: HueApi): Promise<string | null> {
    const { log } = this.options;
    try {
      const group = v3.model.createLightGroup();
      group.name = OWN_GROUP_NAME;
      group.lights = this.lightIds.map(String);
      const created = await api.groups.createGroup(group);
      log.info({ group: created.id, lights: this.lightIds }, `created the "${OWN_GROUP_NAME}" light group for the session's lights`);
      return String(created.id);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error), lights: this.lightIds }, 'could not create a light group: commands fan out per light; set WINDDOWN_HUE_GROUP to a room for smoother breathing');
      return null;
    }
  }

  /** One read of every light (not one request per light: 50 lights would take seconds). */
  capture(): Promise<SavedLight[]> {
    return this.guard(() => this.read());
  }

  private async read(): Promise<SavedLight[]> {
    const api = await this.ensure();
    const all = new Map((await api.lights.getAll()).map((l) => [Number(l.id), l.state]));
    const saved: SavedLight[] = [];
    for (const id of this.lightIds) {
      const s = all.get(id) ?? (await api.lights.getLightState(id));
      const light: SavedLight = { id, on: s.on === true };
      if (typeof s.bri === 'number') light.bri = Math.min(254, Math.max(1, s.bri));
      if (s.colormode === 'ct' || s.colormode === 'xy' || s.colormode === 'hs') light.colormode = s.colormode;
      if (typeof s.ct === 'number') light.ct = s.ct;
      if (Array.isArray(s.xy) && s.xy.length === 2) light.xy = [Number(s.xy[0]), Number(s.xy[1])];
      if (typeof s.hue === 'number') light.hue = s.hue;
      if (typeof s.sat === 'number') light.sat = s.sat;
      saved.push(light);
    }
    // The first step is due soon: open its connection now. A failure here shows on that step instead.
    await this.steps?.warm(this.groupId !== null ? `groups/${this.groupId}` : `lights/${this.lightIds[0] ?? 1}`).catch(() => undefined);
    return saved;
  }

  set(target: LightTarget): Promise<void> {
    return this.guard(() => this.send(target));
  }

  private async send(target: LightTarget): Promise<void> {
    const api = await this.ensure();
    const state = toHueState(target);
    const steps = this.steps;
    const toLight = (id: number): Promise<unknown> => (steps ? steps.light(id, this.only(id, state)) : api.lights.setLightState(id, this.only(id, state)));
    if (target.only !== undefined) {
      // A group command would reach lamps that are off too: each chosen light gets its own.
      const chosen = this.lightIds.filter((id) => target.only?.includes(id));
      await Promise.all(chosen.map(toLight));
      return;
    }
    if (this.groupId !== null) {
      await (steps ? steps.group(this.groupId, state) : api.groups.setGroupState(this.groupId, state));
      return;
    }
    await Promise.all(this.lightIds.map(toLight));
  }

  restore(saved: SavedLight[], transitionMs: number): Promise<void> {
    return this.guard(() => this.giveBack(saved, transitionMs));
  }

  private async giveBack(saved: SavedLight[], transitionMs: number): Promise<void> {
    const api = await this.ensure();
    const transitiontime = Math.round(transitionMs / 100);
    await Promise.all(
      saved.map((light) => {
        const state: Record<string, unknown> = { on: light.on, transitiontime };
        if (light.on) {
          if (light.bri !== undefined) state.bri = light.bri;
          // One colour key, by the saved mode: a bridge given both lets xy win.
          if (light.colormode === 'xy' && light.xy) state.xy = light.xy;
          else if (light.colormode === 'hs' && light.hue !== undefined && light.sat !== undefined) Object.assign(state, { hue: light.hue, sat: light.sat });
          else if (light.ct !== undefined) state.ct = light.ct;
        }
        return api.lights.setLightState(light.id, this.only(light.id, state));
      }),
    );
  }

  /** Only the keys this light has (a white-only bulb has no ct): node-hue-api would complain on stderr. */
  private only(id: number, state: Record<string, unknown>): Record<string, unknown> {
    const keys = this.supported.get(id);
    if (!keys) return state;
    return Object.fromEntries(Object.entries(state).filter(([key]) => keys.has(key)));
  }

  close(): Promise<void> {
    this.api = null;
    this.steps?.close();
    this.steps = null;
    return Promise.resolve();
  }
}

/** Steps go straight to the bridge at node-hue-api's base URL, through its HTTPS agent (bridge id check, or the pin). */
function stepSenderFor(api: HueApi, settings: HueSettings, timeoutMs: number): StepSender | null {
  const defaults = api._getTransport?.()._axios?.defaults;
  if (defaults?.baseURL === undefined || settings.username === undefined) return null;
  const agent = settings.secure ? (defaults.httpsAgent as https.Agent | undefined) : undefined;
  return new StepSender({ baseUrl: defaults.baseURL, username: settings.username, timeoutMs, ...(agent ? { agent } : {}) });
}

export function toHueState(target: LightTarget): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  if (target.on !== undefined) state.on = target.on;
  if (target.bri !== undefined) state.bri = Math.min(254, Math.max(1, Math.round(target.bri)));
  if (target.ct !== undefined) state.ct = target.ct;
  state.transitiontime = Math.max(0, Math.round(target.transitionMs / 100));
  return state;
}
