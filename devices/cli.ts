/**
 * The `winddown` command. `bridge` runs the home bridge; `pair`, `key`, `hue pair` and `hue lights` set it up.
 * `buildProgram()` returns the commander program so other modules can add commands (`start`, `say`).
 * Each command loads what it needs when it runs, so `--help` and `bridge` stay light.
 */
import './lights/hue/env';
import { homedir, hostname } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { version } from '../package.json';
import type { BridgeHandle } from './bridge';
import type { HueApi } from './lights/hue/hue';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Waits between pairing attempts (real time in the CLI; instant in tests). */
  sleep: (ms: number) => Promise<void>;
  /** Keeps `bridge` running until a signal; tests replace it. */
  onSignal: (handler: (signal: string) => void) => void;
  /** Sets the exit status without exiting. */
  fail: (code: number) => void;
  /** How long a pairing code stays good (ten minutes; tests shorten it). */
  pairingTtlMs?: number;
  /** Where `pair` hears SIGINT, SIGTERM and SIGHUP (the process; tests running several at once: null). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'> | null;
}

const defaultIo = (): CliIo => ({
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  env: process.env,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  onSignal: (handler) => {
    process.on('SIGINT', () => handler('SIGINT'));
    process.on('SIGTERM', () => handler('SIGTERM'));
  },
  fail: (code) => {
    process.exitCode = code;
  },
  signals: process,
});

/** How long `hue pair` keeps asking for the link button. */
export const PAIR_WAIT_MS = 30_000;
const PAIR_POLL_MS = 2000;
/** How long reading the bridge's certificate may take while pairing. */
const DEFAULT_PAIR_TIMEOUT_MS = 5000;

export function buildProgram(io: Partial<CliIo> = {}): Command {
  const cli: CliIo = { ...defaultIo(), ...io };
  const program = new Command('winddown')
    .description('Wind Down: calm bedtime sessions with Hue lights that breathe along and a diffuser at bedtime')
    .version(version, '-V, --version', 'print the version')
    .showHelpAfterError()
    // A bare `winddown` is a question, not a mistake: show the commands and succeed.
    .action(() => {
      cli.out(program.helpInformation().trimEnd());
    });

  program
    .command('bridge')
    .description('run the home bridge (settings from WINDDOWN_* environment variables or --config); logs are JSON lines, pipe them through pino-pretty to read them')
    .option('--config <file>', 'JSON file with the same keys as the environment variables (the environment wins)')
    .action(async (options: { config?: string }) => {
      const { ConfigError, loadConfig } = await import('./config');
      const { startBridge } = await import('./bridge');
      const { chooseLogFormat, createLogger } = await import('./process/log');
      const { installFailSafe } = await import('./process/fail-safe');
      let config;
      try {
        config = loadConfig({ env: cli.env, ...(options.config ? { file: options.config } : {}) });
      } catch (error) {
        if (error instanceof ConfigError) {
          cli.err(error.message);
          cli.fail(2);
          return;
        }
        throw error;
      }
      const { secretsOf } = await import('./process/secrets');
      const log = createLogger({ level: config.logLevel, format: chooseLogFormat(config.logFormat, Boolean(process.stdout.isTTY)), secrets: secretsOf(config) });
      const handle: BridgeHandle = await startBridge(config, { log });
      let stopping = false;
      cli.onSignal((signal) => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal }, 'shutting down');
        handle.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
      installFailSafe({ proc: process, bridge: handle, log, exit: (code) => process.exit(code) });
    });

  program
    .command('pair')
    .description('connect this home to your Alexa account: prints a code to say to Alexa (hosted mode); same settings as `bridge`, home id and key optional')
    .option('--config <file>', 'JSON file with the same keys as the environment variables (the environment wins)')
    .option('--as-bridge', "connect with the bridge's own client id (AWS IoT Core allows only the thing name; stop the bridge first)")
    .action(async (options: { config?: string; asBridge?: boolean }) => {
      const { ConfigError, loadConfig } = await import('./config');
      const { addPairing, createIdentity, readIdentity } = await import('./pairing/identity');
      const { homeKey } = await import('../src/config/setting');
      const { pairHome } = await import('./pairing/pair');
      let config;
      try {
        const stateDir = stateDirOf(cli.env);
        if (readIdentity(stateDir) === null) {
          // A given key is kept only if it is fit to be one; a malformed or weak one is reported below.
          const key = homeKey(cli.env.WINDDOWN_HOME_KEY);
          const made = createIdentity(stateDir, {
            ...(cli.env.WINDDOWN_HOME_ID?.trim() ? { homeId: cli.env.WINDDOWN_HOME_ID.trim() } : {}),
            ...(typeof key === 'string' ? { key } : {}),
          });
          cli.out(`This home is ${made.homeId} (its identity is in ${path.join(stateDir, 'identity.json')}).`);
        }
        config = loadConfig({ env: cli.env, ...(options.config ? { file: options.config } : {}) });
      } catch (error) {
        if (error instanceof ConfigError) {
          cli.err(error.message);
          cli.fail(2);
          return;
        }
        throw error;
      }
      const outcome = await pairHome({
        mqtt: config.mqtt,
        homeId: config.homeId,
        out: cli.out,
        signals: cli.signals ?? null,
        ...(cli.pairingTtlMs !== undefined ? { ttlMs: cli.pairingTtlMs } : {}),
        ...(options.asBridge ? { asBridge: true } : {}),
      });
      switch (outcome.kind) {
        case 'paired':
          addPairing(config.stateDir, outcome.pairing);
          cli.out(`paired: ${outcome.pairing.id}${outcome.pairing.account ? ` (Alexa account ${outcome.pairing.account})` : ''}; \`winddown pairings\` lists every pairing, \`winddown unpair <id>\` revokes one`);
          return;
        case 'interrupted':
          cli.err(`Stopped (${outcome.signal}); the code was withdrawn.`);
          cli.fail(130);
          return;
        case 'expired':
          cli.err('The code expired before Alexa heard it. Run `npx winddown pair` again for a new one.');
          cli.fail(1);
      }
    });

  program
    .command('pairings')
    .description('list the Alexa pairings this home obeys: id, when, and the account hint the skill gave')
    .action(async () => {
      const { readIdentity } = await import('./pairing/identity');
      const identity = readIdentity(stateDirOf(cli.env));
      const pairings = identity?.pairings ?? [];
      if (pairings.length === 0) {
        cli.out('No pairings. Run `npx winddown pair` to pair this home with an Alexa account.');
        return;
      }
      for (const p of pairings) cli.out(`${p.id}  ${new Date(p.at).toISOString().slice(0, 16).replace('T', ' ')} UTC${p.account ? `  account ${p.account}` : ''}`);
    });

  program
    .command('unpair')
    .description('revoke one pairing (by the id `winddown pairings` shows, or its first 4+ characters), or --all; a running bridge drops its commands at once')
    .argument('[id]', 'the pairing to revoke')
    .option('--all', 'revoke every pairing and replace the home\'s own key')
    .action(async (id: string | undefined, options: { all?: boolean }) => {
      const { revokePairings } = await import('./pairing/identity');
      if ((id === undefined) === (options.all !== true)) {
        cli.err('Give a pairing id (see `winddown pairings`) or --all.');
        cli.fail(2);
        return;
      }
      let result;
      try {
        result = revokePairings(stateDirOf(cli.env), id === undefined ? 'all' : { id });
      } catch (error) {
        cli.err((error as Error).message.replace(/^Config: /, ''));
        cli.fail(1);
        return;
      }
      if (result.problem !== undefined) {
        cli.err(result.problem);
        cli.fail(1);
        return;
      }
      cli.out(result.revoked.length === 0 ? 'No pairings to revoke; the home\'s own key was replaced.' : `Revoked: ${result.revoked.join(', ')}. Their Alexa users will hear how to pair again.`);
    });

  program
    .command('key')
    .description("print a new home key for WINDDOWN_HOME_KEY (the skill and the bridge need the same one)")
    .action(async () => {
      const { randomBytes } = await import('node:crypto');
      cli.out(randomBytes(32).toString('hex'));
      cli.err('Set it as WINDDOWN_HOME_KEY on the skill (its Lambda environment) and on the bridge; keep it secret.');
    });

  const hue = program.command('hue').description('Philips Hue set-up');

  hue
    .command('pair')
    .description('find the Hue bridge, wait for its link button and create a user for Wind Down')
    .option('--host <ip>', 'the bridge address, when discovery does not find it')
    .addOption(new Option('--url <url>', 'the bridge URL (http://host:port for an emulator)').conflicts('host'))
    .action(async (options: { host?: string; url?: string }) => {
      const { connectHue } = await import('./lights/hue/hue');
      const target = await findBridge(options, cli);
      if (!target) {
        cli.fail(1);
        return;
      }
      const { certificateFingerprint } = await import('./lights/hue/pin');
      // Recorded now, on the home network, and required from then on (a bridge whose certificate differs is refused).
      const fingerprint = target.secure ? await certificateFingerprint(target.host, target.port ?? 443, DEFAULT_PAIR_TIMEOUT_MS) : null;
      const settings = { host: target.host, port: target.port, secure: target.secure, fingerprint };
      const api = await connectHue(settings, undefined);
      cli.out(`Found a Hue bridge at ${target.url}. Press its round link button now…`);
      const deadline = Date.now() + PAIR_WAIT_MS;
      let user: { username: string } | null = null;
      for (;;) {
        try {
          user = await api.users.createUser('winddown', hostname().slice(0, 19) || 'bridge');
          break;
        } catch (error) {
          const type = (error as { getHueErrorType?: () => number }).getHueErrorType?.();
          if (type !== 101) throw error;
          if (Date.now() >= deadline) {
            cli.err('The link button was not pressed within 30 seconds. Run `winddown hue pair` again and press it.');
            cli.fail(1);
            return;
          }
          await cli.sleep(PAIR_POLL_MS);
        }
      }
      cli.out('Paired. Give the bridge these settings (keep the username secret):');
      cli.out(`WINDDOWN_HUE_URL=${target.url}`);
      cli.out(`WINDDOWN_HUE_USERNAME=${user.username}`);
      if (fingerprint) cli.out(`WINDDOWN_HUE_FINGERPRINT=${fingerprint}`);
      const authed = await connectHue(settings, user.username);
      await printRooms(authed, cli, { suggestBedroom: true });
    });

  hue
    .command('lights')
    .description('list the lights and rooms (uses WINDDOWN_HUE_URL and WINDDOWN_HUE_USERNAME)')
    .action(async () => {
      const { connectHue } = await import('./lights/hue/hue');
      const url = cli.env.WINDDOWN_HUE_URL;
      const username = cli.env.WINDDOWN_HUE_USERNAME;
      if (!url || !username) {
        cli.err('WINDDOWN_HUE_URL and WINDDOWN_HUE_USERNAME: expected both (run `winddown hue pair` first)');
        cli.fail(2);
        return;
      }
      const parsed = new URL(url);
      const { normalizeFingerprint } = await import('./lights/hue/fingerprint');
      const fingerprint = cli.env.WINDDOWN_HUE_FINGERPRINT ? normalizeFingerprint(cli.env.WINDDOWN_HUE_FINGERPRINT) : null;
      const api = await connectHue({ host: parsed.hostname, port: parsed.port ? Number(parsed.port) : undefined, secure: parsed.protocol === 'https:', fingerprint }, username);
      const lights = await api.lights.getAll();
      cli.out('Lights (WINDDOWN_HUE_LIGHTS=<ids>):');
      for (const light of lights) cli.out(`  ${String(light.id).padStart(3)}  ${light.name}  (${light.type})`);
      await printRooms(api, cli, { suggestBedroom: false });
    });

  return program;
}

/** Lists rooms and zones; `suggestBedroom`: also print the setting for the room named like a bedroom. */
async function printRooms(api: HueApi, cli: CliIo, { suggestBedroom }: { suggestBedroom: boolean }): Promise<void> {
  const groups = (await api.groups.getAll()).filter((g) => g.type === 'Room' || g.type === 'Zone');
  cli.out('Rooms and zones (WINDDOWN_HUE_GROUP=<id or name>):');
  for (const g of groups) cli.out(`  ${String(g.id).padStart(3)}  ${g.name}  (${g.type}; lights ${g.lights.join(', ')})`);
  const bedroom = groups.find((g) => /bed/i.test(g.name));
  if (suggestBedroom && bedroom) cli.out(`WINDDOWN_HUE_GROUP=${JSON.stringify(bedroom.name)}`);
}

interface BridgeTarget {
  url: string;
  host: string;
  port: number | undefined;
  secure: boolean;
}

async function findBridge(options: { host?: string; url?: string }, cli: CliIo): Promise<BridgeTarget | null> {
  if (options.url) {
    const u = new URL(options.url);
    return { url: `${u.protocol}//${u.host}`, host: u.hostname, port: u.port ? Number(u.port) : undefined, secure: u.protocol === 'https:' };
  }
  if (options.host) return { url: `https://${options.host}`, host: options.host, port: undefined, secure: true };
  cli.out('Looking for Hue bridges on this network…');
  type Found = { ipaddress?: string; internalipaddress?: string; name?: string };
  let found: Found[] = [];
  try {
    const { v3 } = await import('node-hue-api');
    found = (await v3.discovery.nupnpSearch()) as Found[];
  } catch {
    // No internet, or the discovery service is down: try the LAN itself.
  }
  if (found.length === 0) {
    try {
      const { v3 } = await import('node-hue-api');
      found = (await v3.discovery.upnpSearch(5000)) as Found[];
    } catch {
      found = [];
    }
  }
  const ips = found.map((b) => b.ipaddress ?? b.internalipaddress).filter((ip): ip is string => typeof ip === 'string');
  if (ips.length === 0) {
    cli.err('No Hue bridge found. Look up its IP address in the Hue app (Settings → Bridges) and run `winddown hue pair --host <ip>`.');
    return null;
  }
  if (ips.length > 1) cli.out(`Found ${ips.length} bridges (${ips.join(', ')}); pairing with the first. Use --host to choose.`);
  const host = ips[0] as string;
  return { url: `https://${host}`, host, port: undefined, secure: true };
}

/** Where `pair`, `pairings` and `unpair` keep the home's identity (as `bridge` does). */
function stateDirOf(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.WINDDOWN_STATE_DIR?.trim() || path.join(homedir(), '.winddown'));
}

/** Parses the command line and runs it; an error that escapes a command is one line and exit status 1. */
export function runProgram(program: Command = buildProgram()): void {
  program.parseAsync(process.argv).catch((error: unknown) => {
    process.stderr.write(`winddown: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
