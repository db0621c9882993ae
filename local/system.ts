/**
 * The whole of Wind Down on one machine: a broker, a Hue bridge, a diffuser plug, the home bridge, the
 * skill behind `POST /alexa` and the dashboard. Each device is real when the environment names one
 * (`WINDDOWN_MQTT_URL`, `WINDDOWN_HUE_URL`, `WINDDOWN_DIFFUSER`) and simulated otherwise, so the same
 * command tries it out on a laptop or drives a real bedroom. `stop()` takes it down in reverse order:
 * the bridge first, so the lights are restored and the diffuser is off before anything else goes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AlexaHandler, HandlerOptions } from '../lambda/index';
import type { Log as SkillLog } from '../lambda/log';
import { startBridge, type BridgeHandle } from '../devices/bridge';
import type { Clock } from '../devices/process/clock';
import { systemClock } from '../devices/process/clock';
import { ConfigError, loadConfig } from '../devices/config';
import { HueLights } from '../devices/lights/hue/hue';
import { mqttClientOptions } from '../src/config/mqtt-options';
import { redactUrl } from '../src/config/problems';
import type { Logger } from '../devices/process/log';
import { createLogger } from '../devices/process/log';
import { secretsFromEnv } from '../devices/process/secrets';
import { SimulatedTasmota } from './simulators/plugs';
import { HueEmulator } from './simulators/hue-emulator';
import { Hub } from './dashboard/hub';
import { DashboardServer } from './dashboard/server';
import { createAlexaEndpoint, type VerifyMode } from './alexa-endpoint';
import { bearsToken, isLoopbackHost, newToken } from './request-guard';
import { Conversation } from './conversation';
import { UtteranceMatcher } from './utterances';
import { packageRoot } from './package-root';
import { startAedes } from './broker';
import { FileStore } from './skill-file-store';
import { FileLedger } from './pairing-file-ledger';
import { bridgeEnvFor, loadLocalConfig, LOCAL_VOICE_LATENCY_MS, SIMULATED_PLUG_TOPIC } from './config';

export { LOCAL_VOICE_LATENCY_MS, SIMULATED_PLUG_TOPIC };

export interface Broker {
  url: string;
  close(): Promise<void>;
}

export interface LocalSystemOptions {
  /** Settings as the local run, the bridge and the skill read them (WINDDOWN_*); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Dashboard and /alexa (default 127.0.0.1:8787; 0 picks a free port). */
  host?: string;
  port?: number;
  /** The embedded broker's port when no WINDDOWN_MQTT_URL is set (default: a free one). */
  mqttPort?: number;
  /** Where the bridge and the skill keep their state (default ./.winddown/local). */
  stateDir?: string;
  clock?: Clock;
  log?: Logger;
  /** Starts the broker when none is configured (default: Aedes in this process). */
  startBroker?: (port: number) => Promise<Broker>;
  verify?: VerifyMode;
  locale?: string;
  /** Builds the skill's handler (default: the built Lambda bundle, dist/lambda/index.js). */
  createHandler?: (options: HandlerOptions) => AlexaHandler;
}

export interface LocalSystem {
  url: string;
  alexaUrl: string;
  mqttUrl: string;
  homeId: string;
  hue: HueEmulator | null;
  plug: SimulatedTasmota | null;
  hub: Hub;
  conversation: Conversation;
  /** What runs, for the start banner: each part and whether it is simulated. */
  parts: { name: string; where: string; simulated: boolean }[];
  /** The dashboard with this run's token: the link to open (it leaves the token in a cookie). */
  dashboardUrl: string;
  /**
   * Who can reach it: /api/*, /events and an unsigned /alexa need the run's token from anyone; beyond
   * this machine (`--host`), /alexa needs Alexa's signature even with it.
   */
  access: { exposed: boolean; token: string; verify: VerifyMode };
  stop(): Promise<void>;
}


/** The skill logs through the bridge's logger, so one terminal shows one story. */
function skillLog(log: Logger): SkillLog {
  const child = log.child({ scope: 'skill' });
  return {
    info: (event, fields) => child.info(fields ?? {}, event),
    warn: (event, fields) => child.warn(fields ?? {}, event),
    error: (event, fields) => child.error(fields ?? {}, event),
  };
}

/**
 * The skill exactly as it is deployed: the Lambda bundle `npm run build` wrote (npm install builds it).
 * Both this module's source folder and the bundled CLI sit two levels below the package root.
 */
export function builtSkill(): (options: HandlerOptions) => AlexaHandler {
  const bundle = path.join(packageRoot(), 'dist/lambda/index.js');
  if (!existsSync(bundle)) throw new Error(`the skill is not built (${bundle} is missing): run npm run build`);
  const skill = createRequire(__filename)(bundle) as { createHandler?: (options: HandlerOptions) => AlexaHandler };
  if (typeof skill.createHandler !== 'function') throw new Error(`${bundle} does not export createHandler: rebuild with npm run build`);
  return skill.createHandler;
}

export function modelPath(locale = 'en-US'): string {
  return path.join(packageRoot(), 'skill-package/interactionModels/custom', `${locale}.json`);
}

/** A configured device's URL for the banner: never its user name or password. */
function shownUrl(url: string): string {
  return redactUrl(url) ?? '(set, not shown)';
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const env = options.env ?? process.env;
  // Every settings problem, the bridge's included, is reported before anything starts.
  const config = loadLocalConfig(env);
  const clock = options.clock ?? systemClock;
  // A fresh key for every start, shared by this run's bridge and skill: nothing to set, nothing to leak.
  const homeKey = randomBytes(32).toString('hex');
  // And a fresh token for the dashboard and `winddown say` (request-guard.ts).
  const token = newToken();
  const log = options.log ?? createLogger({ level: config.logLevel, secrets: [...secretsFromEnv(env), homeKey, token] });
  const stateDir = path.resolve(options.stateDir ?? config.stateDir);
  const homeId = config.homeId;
  const host = options.host ?? config.host;
  // Beyond loopback, anyone on the network can reach /alexa: only Alexa, for this skill, may use it.
  const exposed = !isLoopbackHost(host);
  if (exposed && !config.skillId) throw new ConfigError([`WINDDOWN_SKILL_ID: required with --host ${host} (listening beyond this machine), so that only your skill's signed requests are answered`]);
  const parts: LocalSystem['parts'] = [];
  // Whatever started is stopped, newest first, even when a later part fails to start.
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log.error({ err: error }, 'local run: a part failed to stop');
      }
    }
    stops.length = 0;
  };

  try {
    let mqttUrl = config.mqtt?.url;
    if (!mqttUrl) {
      const broker = await (options.startBroker ?? startAedes)(options.mqttPort ?? 0);
      stops.push(() => broker.close());
      mqttUrl = broker.url;
      parts.push({ name: 'MQTT broker', where: mqttUrl, simulated: true });
    } else parts.push({ name: 'MQTT broker', where: shownUrl(mqttUrl), simulated: false });

    let hue: HueEmulator | null = null;
    if (config.hueUrl === undefined) {
      hue = new HueEmulator({ clock });
      await hue.start(0);
      const emulator = hue;
      stops.push(() => emulator.stop());
      parts.push({ name: 'Hue bridge (3 lamps, room "Bedroom")', where: hue.url, simulated: true });
    } else parts.push({ name: 'Hue bridge', where: shownUrl(config.hueUrl), simulated: false });

    let plug: SimulatedTasmota | null = null;
    if (config.diffuser === undefined) {
      plug = new SimulatedTasmota(SIMULATED_PLUG_TOPIC, mqttUrl, clock);
      await plug.start();
      const fake = plug;
      stops.push(() => fake.stop());
      parts.push({ name: 'Diffuser plug (Tasmota)', where: `cmnd/${SIMULATED_PLUG_TOPIC}/POWER`, simulated: true });
    } else parts.push({ name: 'Diffuser plug', where: config.diffuser, simulated: false });

    mkdirSync(stateDir, { recursive: true });
    const bridgeEnv = bridgeEnvFor(
      env,
      { ...config, stateDir },
      { homeKey, mqttUrl, ...(hue ? { hue: { url: hue.url, username: hue.username } } : {}), ...(plug ? { plugTopic: SIMULATED_PLUG_TOPIC } : {}) },
    );
    const bridgeConfig = loadConfig({ env: bridgeEnv });
    const bridgeLog = log.child({ part: 'bridge' });
    // The simulated Hue bridge speaks plain HTTP on loopback, as it should: no warning about it.
    const simulatedLights = hue && bridgeConfig.hue ? { lights: new HueLights({ settings: bridgeConfig.hue, log: bridgeLog.child({ scope: 'hue' }), simulator: true }) } : {};
    const bridge: BridgeHandle = await startBridge(bridgeConfig, { clock, log: bridgeLog, ...simulatedLights });
    stops.push(() => bridge.stop());
    await bridge.connected;
    parts.push({ name: 'Home bridge', where: `home "${homeId}"`, simulated: false });

    const skillEnv: NodeJS.ProcessEnv = {
      ...env,
      WINDDOWN_MQTT_URL: mqttUrl,
      WINDDOWN_HOME_ID: homeId,
      WINDDOWN_HOME_KEY: homeKey,
      WINDDOWN_VOICE_LATENCY_MS: String(config.voiceLatencyMs),
    };
    delete skillEnv.WINDDOWN_DYNAMODB_TABLE;
    // The skill's attributes (bedtime, where a session stopped) in files, as DynamoDB keeps them on Lambda.
    const persistence = new FileStore(path.join(stateDir, 'skill'), {
      onWriteError: (error) => log.warn({ err: error, scope: 'skill' }, 'could not write the skill state; it is kept in memory'),
    });
    const handler: AlexaHandler = (options.createHandler ?? builtSkill())({
      env: skillEnv,
      log: skillLog(log),
      now: () => clock.now(),
      persistence,
      // Pairing tries and claims in files too, as DynamoDB keeps them on Lambda.
      pairingLedger: new FileLedger(path.join(stateDir, 'skill', 'pairing')),
    });
    stops.push(() => handler.close());
    const invoke = (envelope: Parameters<AlexaHandler>[0]): ReturnType<AlexaHandler> => handler(envelope);

    const locale = options.locale ?? 'en-US';
    const conversation = new Conversation({ invoke, matcher: UtteranceMatcher.fromFile(modelPath(locale)), locale, now: () => clock.now() });
    const hub = new Hub({
      mqttUrl,
      ...(config.mqtt ? { mqttOptions: mqttClientOptions(config.mqtt, { clientId: 'winddown-dashboard', clean: true, keepaliveSeconds: 30, reconnectPeriodMs: 1000 }) } : {}),
      homeId,
      homeKey: Buffer.from(homeKey, 'hex'),
      now: () => clock.now(),
      hue,
      tasmotaTopic: plug ? SIMULATED_PLUG_TOPIC : null,
      voiceLatencyMs: config.voiceLatencyMs,
    });
    await hub.start();
    stops.push(() => hub.stop());

    const httpLog = log.child({ part: 'dashboard' });
    const verify: VerifyMode = exposed ? 'always' : (options.verify ?? config.alexaVerify);
    const alexa = createAlexaEndpoint({
      invoke,
      verify,
      bearsToken: (req) => bearsToken(req.headers, token),
      onError: (error, phase) => httpLog.warn({ err: error, phase }, phase === 'verify' ? 'POST /alexa refused: not signed by Alexa' : 'POST /alexa: the skill failed'),
    });
    const server = new DashboardServer({
      hub,
      conversation,
      alexa,
      alexaVerify: verify,
      token,
      onError: (error, where) => httpLog.error({ err: error, where }, 'request failed'),
      onRefused: (why, where) => httpLog.warn({ why, where }, 'request refused'),
    });
    const port = options.port ?? config.port;
    const url = await server.listen(port, host);
    stops.push(() => server.close());
    parts.push({ name: 'Skill endpoint', where: `${url}/alexa`, simulated: false });

    const access = { exposed, token, verify };
    return { url, alexaUrl: `${url}/alexa`, dashboardUrl: `${url}/?token=${token}`, mqttUrl, homeId, hue, plug, hub, conversation, parts, access, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
