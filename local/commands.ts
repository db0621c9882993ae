/**
 * `winddown start` (everything on this machine, simulated where no device is configured) and
 * `winddown say "<utterance>"` (talk to it from a terminal: the reply as text with its pauses, then the
 * session's progress and the lamps, live). `say` uses the running `start` when it finds one, and
 * otherwise starts an embedded system for as long as it runs.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { urlToHttpOptions } from 'node:url';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../devices/config';
import { createLogger } from '../devices/log';
import { DEFAULT_LOCAL_PORT, loadLocalConfig, type LocalConfig } from './config';
import type { HubEvent, HubSnapshot, TurnView } from './dashboard/hub';
import type { LocalSystem } from './system';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  onSignal: (handler: () => void) => void;
}

const defaultIo = (): Io => ({
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  onSignal: (handler) => {
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  },
});

/** Where `start` writes its address, so `say` finds it even on another port. */
const urlFile = (config: LocalConfig): string => path.join(path.resolve(config.stateDir), 'dashboard-url');

export function registerLocalCommands(program: Command, io: Partial<Io> = {}): Command {
  const cli: Io = { ...defaultIo(), ...io };

  program
    .command('start')
    .description('run everything on this machine: broker, Hue bridge and diffuser plug (simulated unless WINDDOWN_MQTT_URL, WINDDOWN_HUE_URL, WINDDOWN_DIFFUSER name real ones), the home bridge, the skill at POST /alexa and the dashboard')
    .option('--port <port>', `dashboard and /alexa port (default ${DEFAULT_LOCAL_PORT}, or WINDDOWN_LOCAL_PORT)`)
    .option('--host <host>', 'address to listen on (default 127.0.0.1: this machine only)')
    .action(async (options: { port?: string; host?: string }) => {
      let config: LocalConfig;
      try {
        config = loadLocalConfig(cli.env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        cli.err(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      const port = options.port !== undefined ? Number(options.port) : config.port;
      const log = createLogger({ level: config.logLevel });
      const { startLocalSystem } = await import('./system');
      let system: LocalSystem;
      try {
        system = await startLocalSystem({ env: cli.env, port, ...(options.host ? { host: options.host } : {}), log });
      } catch (error) {
        if (error instanceof ConfigError) {
          cli.err(`${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        if ((error as { code?: string }).code === 'EADDRINUSE') {
          cli.err(`winddown start: port ${port} is in use (is Wind Down already running?). Try --port ${port + 1}.\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      mkdirSync(path.dirname(urlFile(config)), { recursive: true });
      writeFileSync(urlFile(config), system.url);
      cli.out(banner(system));
      let stopping = false;
      cli.onSignal(() => {
        if (stopping) process.exit(1);
        stopping = true;
        cli.out('\nWinding down: restoring the lights and switching the diffuser off…\n');
        system.stop().then(
          () => {
            rmSync(urlFile(config), { force: true });
            cli.out('All stopped. Good night.\n');
            process.exit(0);
          },
          (error: unknown) => {
            cli.err(`winddown start: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(1);
          },
        );
      });
    });

  program
    .command('say')
    .description('say something to Wind Down as if to Alexa ("start wind down", "ask wind down to start a body scan"); prints the reply with its pauses, then follows the session')
    .argument('<utterance...>', 'what you would say')
    .option('--url <url>', 'a running `winddown start` (default: the one this directory started, else http://127.0.0.1:8787)')
    .option('--embedded', 'start an embedded system for this command instead of using a running one')
    .option('--no-follow', 'print the reply and exit without following the session')
    .action(async (words: string[], options: { url?: string; embedded?: boolean; follow: boolean }) => {
      const text = words.join(' ');
      const config = loadLocalConfig(cli.env);
      const running = options.embedded ? null : await findRunning(options.url ?? config.url, config);
      if (running) {
        const turn = await postSay(running, text);
        cli.out(formatTurn(turn));
        if (options.follow && startsSession(turn)) await follow(remoteSource(running), turn, cli);
        return;
      }
      // Nothing running: an embedded system, quiet, on free ports, for as long as this command runs.
      const { startLocalSystem } = await import('./system');
      const system = await startLocalSystem({ env: { ...cli.env, WINDDOWN_LOG_LEVEL: 'warn' }, port: 0, log: createLogger({ level: 'warn', pretty: cli.isTTY }) });
      try {
        const turn = system.hub.addTurn(await system.conversation.say(text));
        cli.out(formatTurn(turn));
        if (options.follow && startsSession(turn)) await follow({ snapshot: () => Promise.resolve(system.hub.snapshot()), subscribe: (fn) => system.hub.subscribe(fn) }, turn, cli);
      } finally {
        await system.stop();
      }
    });
  return program;
}

function banner(system: LocalSystem): string {
  const lines = ['', '  Wind Down is running on this machine.', ''];
  for (const part of system.parts) lines.push(`  ${part.simulated ? '◌ simulated' : '● real     '}  ${part.name.padEnd(38)} ${part.where}`);
  lines.push('', `  Dashboard:  ${system.url}`, `  Try:        npx winddown say "start wind down"`, '', '  Ctrl-C stops everything and restores the lights.', '', '');
  return lines.join('\n');
}

/** A reply as text: what was heard, what it resolved to, what Alexa says (pauses marked). */
export function formatTurn(turn: TurnView): string {
  const slots = Object.entries(turn.slots).map(([k, v]) => `${k}=${v}`).join(', ');
  const heard = turn.intent ? `${turn.intent}${slots ? ` (${slots})` : ''}` : turn.request;
  const lines = [`→ ${heard}`, '', wrap(turn.speech, 78), ''];
  if (turn.listening) lines.push(`(Alexa is listening${turn.reprompt ? `: "${turn.reprompt}"` : ''})`, '');
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out.join('\n');
}

function startsSession(turn: TurnView): boolean {
  return turn.request === 'LaunchRequest' || ['StartSessionIntent', 'AMAZON.ResumeIntent', 'AMAZON.StartOverIntent'].includes(turn.intent ?? '');
}

interface StateSource {
  snapshot(): Promise<HubSnapshot>;
  subscribe(listener: (event: HubEvent) => void): () => void;
}

/** One line: breath phase, time left, the lamps' brightness. */
export function progressLine(snap: Pick<HubSnapshot, 'session' | 'lamps'>, now: number): string {
  const s = snap.session;
  const lamps = snap.lamps.map((l) => (l.on ? String(l.bri).padStart(3) : 'off')).join(' ');
  if (!s || s.status === 'idle') return `resting · lamps ${lamps}`;
  const moving = s.status === 'running' || s.status === 'ending';
  const elapsed = Math.min(s.totalMs, s.offsetMs + (moving ? Math.max(0, now - s.at) : 0));
  const left = Math.max(0, Math.round((s.totalMs - elapsed) / 1000));
  // The phase comes from the session's own steps; when they carry none (protocol 1) only the status shows.
  const phase = s.status === 'running' && s.phase !== null ? { inhale: 'breathe in ', exhale: 'breathe out', hold: 'hold       ', tense: 'tense      ', release: 'let go     ', drift: 'drift      ' }[s.phase] : s.status.padEnd(11);
  return `${phase} · ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left · lamps ${lamps}`;
}

/** Follows the session until it ends (or Ctrl-C), redrawing one line on a terminal. */
async function follow(source: StateSource, turn: TurnView, cli: Io): Promise<void> {
  const snap = await source.snapshot();
  const skew = snap.now - Date.now();
  let seenRunning = false;
  let last = '';
  await new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      clearTimeout(nothing);
      unsubscribe();
      cli.out(cli.isTTY ? '\n' : '');
      resolve();
    };
    const draw = (): void => {
      const line = progressLine(snap, Date.now() + skew);
      if (cli.isTTY) cli.out(`\r\x1b[2K${line}`);
      else if (line.split(' · ')[0] !== last.split(' · ')[0]) cli.out(`${line}\n`);
      last = line;
    };
    const unsubscribe = source.subscribe((event) => {
      (snap as unknown as Record<string, unknown>)[event.type] = event.data;
      if (event.type === 'session') {
        const status = event.data?.status ?? 'idle';
        if (status === 'running') seenRunning = true;
        if (seenRunning && (status === 'idle' || status === 'paused')) {
          draw();
          finish();
        }
      }
      if (event.type === 'turn' && event.data?.speaksAt !== turn.speaksAt) finish();
    });
    const timer = setInterval(draw, cli.isTTY ? 250 : 500);
    // A reply that starts nothing (the home unreachable, a finished session) is not followed for long.
    const nothing = setTimeout(() => {
      if (!seenRunning && snap.session?.status !== 'running') finish();
    }, 15_000);
    cli.onSignal(finish);
    draw();
  });
}

async function findRunning(explicit: string | undefined, config: LocalConfig): Promise<string | null> {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  else {
    try {
      candidates.push(readFileSync(urlFile(config), 'utf8').trim());
    } catch {
      // No `winddown start` from this directory.
    }
    candidates.push(`http://127.0.0.1:${config.port}`);
  }
  for (const url of candidates) {
    const ok = await request(`${url.replace(/\/$/, '')}/api/state`, 'GET').then((r) => r.status === 200, () => false);
    if (ok) return url.replace(/\/$/, '');
    if (explicit) throw new Error(`no Wind Down at ${explicit} (is \`winddown start\` running?)`);
  }
  return null;
}

function request(url: string, method: 'GET' | 'POST', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...urlToHttpOptions(new URL(url)), method, timeout: 15_000, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function postSay(url: string, text: string): Promise<TurnView> {
  const res = await request(`${url}/api/say`, 'POST', JSON.stringify({ text }));
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.text}`);
  return JSON.parse(res.text) as TurnView;
}

/** The running system's live updates, over its Server-Sent Events stream. */
function remoteSource(url: string): StateSource {
  return {
    snapshot: async () => JSON.parse((await request(`${url}/api/state`, 'GET')).text) as HubSnapshot,
    subscribe: (listener) => {
      const req = http.get(urlToHttpOptions(new URL(`${url}/events`)), (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === 'update' && data) listener(JSON.parse(data) as HubEvent);
          }
        });
      });
      req.on('error', () => undefined);
      return () => req.destroy();
    },
  };
}
