/**
 * Many home bridges in one process for the soak: home `<prefix>-<i>` drives Hue light i+1 of one Hue
 * emulator and a Tasmota plug `<prefix>_<i>`, all on one broker. Prints `BENCH_READY` once every
 * bridge is subscribed; when stdin closes it stops them all and prints, per home, the commands each
 * accepted and dropped (by reason) and the warnings and errors it logged.
 *
 * A command dropped as `signature` because it names a pairing the home does not hold (revoked by
 * `unpair`) is counted as `revoked`, so the soak can tell those apart from the other bad signatures.
 *
 *   node bridges.cjs <broker-url> <hue-url> <hue-username> <count> <prefix> [<state root>]
 *
 * With a state root, each home's state directory is `<root>/<home id>` (made by the caller, who may pair
 * and unpair there while the bridges run); without, a temporary one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startBridge, type BridgeHandle } from '../../devices/bridge';
import { loadConfig } from '../../devices/config';
import { benchKeyHex } from '../lib/commands';

interface HomeCounts {
  accepted: Record<string, number>;
  dropped: Record<string, number>;
}

async function main(): Promise<void> {
  const [brokerUrl, hueUrl, username, countArg, prefix = 'soak', stateRoot] = process.argv.slice(2);
  if (!brokerUrl || !hueUrl || !username) throw new Error('usage: bridges <broker-url> <hue-url> <hue-username> <count> <prefix>');
  const count = Number(countArg ?? '200');
  const root = stateRoot ?? mkdtempSync(join(tmpdir(), 'winddown-soak-'));
  const logged: Record<string, number> = {};
  // Warnings and errors are counted by message; the rest of the log is not the subject here.
  const log = pino({ level: 'warn' }, {
    write: (line: string) => {
      const { level, msg } = JSON.parse(line) as { level: number; msg: string };
      // By kind: "command dropped (duplicate): id … already seen" counts as "command dropped (duplicate)".
      const key = `${level >= 50 ? 'error' : 'warn'}: ${msg.split(':')[0] ?? msg}`;
      logged[key] = (logged[key] ?? 0) + 1;
    },
  });
  const counts: HomeCounts[] = [];
  const bridges: BridgeHandle[] = [];
  for (let i = 0; i < count; i++) {
    const homeId = `${prefix}-${i}`;
    const config = loadConfig({
      env: {
        WINDDOWN_MQTT_URL: brokerUrl,
        WINDDOWN_HOME_ID: homeId,
        WINDDOWN_HOME_KEY: benchKeyHex(homeId),
        WINDDOWN_HUE_URL: hueUrl,
        WINDDOWN_HUE_USERNAME: username,
        WINDDOWN_HUE_LIGHTS: String(i + 1),
        WINDDOWN_DIFFUSER: `tasmota:${prefix}_${i}`,
        WINDDOWN_STATE_DIR: join(root, homeId),
      },
    });
    const home: HomeCounts = { accepted: {}, dropped: {} };
    counts.push(home);
    const bridge = await startBridge(config, { log: log.child({ homeId }) });
    bridge.events.on('command', (command) => {
      home.accepted[command.type] = (home.accepted[command.type] ?? 0) + 1;
    });
    bridge.events.on('command.dropped', ({ reason, detail }) => {
      const kind = reason === 'signature' && /not one this home holds/.test(detail) ? 'revoked' : reason;
      home.dropped[kind] = (home.dropped[kind] ?? 0) + 1;
    });
    bridges.push(bridge);
  }
  await Promise.all(bridges.map((b) => b.connected));
  process.stdout.write('\nBENCH_READY\n');

  process.stdin.resume();
  process.stdin.on('end', () => {
    const { rss } = process.memoryUsage();
    // Counted before stopping: a graceful stop sends its own commands, which are not the soak's.
    const result = JSON.stringify({ counts, logged, rss });
    Promise.all(bridges.map((b) => b.stop()))
      .catch(() => undefined)
      .finally(() => {
        if (stateRoot === undefined) rmSync(root, { recursive: true, force: true });
        process.stdout.write(`\nBENCH_RESULT ${result}\n`);
        process.exit(0);
      });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
