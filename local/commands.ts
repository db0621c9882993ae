/**
 * `winddown start` (everything on this machine, simulated where no device is configured) and
 * `winddown say "<utterance>"` (talk to it from a terminal: the reply as text with its pauses, then the
 * session's progress and the lamps, live). `say` uses the running `start` when it finds one, and
 * otherwise starts an embedded system for as long as it runs.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../devices/config';
import { chooseLogFormat, createLogger, type LogFormat } from '../devices/process/log';
import { secretsFromEnv } from '../devices/process/secrets';
import { DEFAULT_LOCAL_PORT, loadLocalConfig, type LocalConfig } from './config';
import { lampLevel, sessionActivity } from './dashboard/activity';
import type { HubEvent, HubSnapshot, TurnView } from './dashboard/hub';
import type { LocalSystem } from './system';

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  onSignal: (handler: () => void) => void;
}

/** Finding a running `winddown start` is a quick look; a reply may take the skill a while. */
const LOOK_TIMEOUT_MS = 2000;
const REPLY_TIMEOUT_MS = 15_000;

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
    .option('--json', 'log JSON lines (as when the output is piped, or WINDDOWN_LOG_FORMAT=json); the banner goes to stderr')
    .action(async (options: { port?: string; host?: string; json?: boolean }) => {
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
      const format: LogFormat = options.json ? 'json' : chooseLogFormat(config.logFormat, cli.isTTY);
      // In JSON mode stdout carries log lines only; what a person reads goes to stderr.
      const say = format === 'json' ? cli.err : cli.out;
      const log = createLogger({ level: config.logLevel, format, secrets: secretsFromEnv(cli.env) });
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
      if (format === 'json') log.info({ dashboard: system.url, parts: system.parts }, 'local run started');
      say(banner(system));
      let stopping = false;
      cli.onSignal(() => {
        if (stopping) process.exit(1);
        stopping = true;
        say('\nWinding down: restoring the lights and switching the diffuser off…\n');
        system.stop().then(
          () => {
            rmSync(urlFile(config), { force: true });
            say('All stopped. Good night.\n');
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
        const watch = options.follow ? followFor(turn) : null;
        if (!watch) return;
        const ended = await follow(remoteSource(running), turn, cli, watch);
        // Ctrl-C stops this command only: what it was showing goes on in the running `winddown start`.
        if (ended.how === 'interrupted') {
          const goesOn = ended.last === 'fading' ? 'The lamps go on fading' : 'The session goes on';
          cli.out(`Stopped following. ${goesOn} in \`winddown start\` at ${running}${ended.last === 'fading' ? '' : '; to end it: npx winddown say stop'}\n`);
        }
        if (ended.how === 'gone') cli.out(`The Wind Down at ${running} stopped.\n`);
        return;
      }
      // Nothing running: an embedded system, quiet, on free ports, for as long as this command runs.
      const { startLocalSystem } = await import('./system');
      const system = await startLocalSystem({ env: { ...cli.env, WINDDOWN_LOG_LEVEL: 'warn' }, port: 0, log: createLogger({ level: 'warn', format: cli.isTTY ? 'pretty' : 'json', secrets: secretsFromEnv(cli.env) }) });
      try {
        const turn = system.hub.addTurn(await system.conversation.say(text));
        cli.out(formatTurn(turn));
        if (!startsSession(turn)) return;
        if (!options.follow) {
          cli.out('Nothing keeps running: this command ran Wind Down for itself and stops it now. Keep one running with `winddown start`.\n');
          return;
        }
        const ended = await follow({ snapshot: () => Promise.resolve(system.hub.snapshot()), subscribe: (fn) => system.hub.subscribe(fn) }, turn, cli, SESSION_WAIT_MS);
        if (ended.how === 'interrupted') {
          cli.out('Stopping: this command ran Wind Down for itself, so the lamps go back to how they were and the diffuser goes off…\n');
          await system.stop();
          cli.out('Stopped.\n');
        }
      } finally {
        await system.stop();
      }
    });
  return program;
}

function banner(system: LocalSystem): string {
  const lines = ['', '  Wind Down is running on this machine.', ''];
  for (const part of system.parts) lines.push(`  ${part.simulated ? '◌ simulated' : '● real     '}  ${part.name.padEnd(38)} ${part.where}`);
  lines.push('', `  Dashboard:  ${system.url}`, `  Try:        npx winddown say "start wind down"`, '');
  if (system.access.exposed) {
    lines.push(
      '  Listening beyond this machine: POST /alexa answers only requests signed by Alexa for WINDDOWN_SKILL_ID,',
      `  and the dashboard from another machine needs its token: ${system.url}/?token=${system.access.token ?? ''}`,
      '',
    );
  } else lines.push('  Only this machine can reach it; requests from web pages of other sites are refused.', '');
  lines.push('  Ctrl-C stops everything and restores the lights.', '', '');
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

/** A start may take the bridge a while to report; a stop's fade begins at once, if anything was running. */
const SESSION_WAIT_MS = 15_000;
const FADE_WAIT_MS = 3000;

/** How long to wait for something to follow after this reply, or null when there is nothing to follow. */
function followFor(turn: TurnView): number | null {
  if (startsSession(turn)) return SESSION_WAIT_MS;
  if (['AMAZON.StopIntent', 'AMAZON.CancelIntent', 'AMAZON.PauseIntent'].includes(turn.intent ?? '')) return FADE_WAIT_MS;
  return null;
}

interface StateSource {
  snapshot(): Promise<HubSnapshot>;
  /** Live updates; `onClosed` when the source goes away (a running system stopped). */
  subscribe(listener: (event: HubEvent) => void, onClosed?: () => void): () => void;
}

const PHASES: Record<string, string> = { inhale: 'breathe in', exhale: 'breathe out', hold: 'hold', tense: 'tense', release: 'let go', drift: 'drift' };
const mmss = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One line: what the session is doing, the time left, each lamp's level as it is now. */
export function progressLine(snap: Pick<HubSnapshot, 'session' | 'lamps'> & Partial<Pick<HubSnapshot, 'starting'>>, now: number): string {
  const lamps = snap.lamps.map((l) => {
    const level = lampLevel(l, now);
    return level > 0 ? String(level).padStart(3) : 'off';
  });
  const tail = `lamps ${lamps.join(' ')}`;
  const activity = sessionActivity({ starting: null, ...snap }, now);
  switch (activity.kind) {
    case 'none':
      return `resting · ${tail}`;
    case 'starting':
      // The voice speaks from the reply; the lamps join at the plan's start.
      return `${'starting'.padEnd(11)} · ${now < activity.startAt ? `lamps join in ${mmss(activity.startAt - now)}` : 'lamps joining'} · ${tail}`;
    case 'fading':
      return `${(activity.to === 'off' ? 'fading out' : 'restoring').padEnd(11)} · ${mmss(activity.until - now)} · ${tail}`;
    case 'session': {
      // The phase comes from the session's own steps; when they carry none (protocol 1) only the status shows.
      const word = activity.status === 'running' && activity.phase !== null ? (PHASES[activity.phase] ?? activity.phase) : activity.status;
      return `${word.padEnd(11)} · ${mmss(activity.totalMs - activity.elapsedMs)} left · ${tail}`;
    }
  }
}

/** How following ended (the session and its fade finished, Ctrl-C, another reply, the source gone) and what it last showed. */
interface FollowEnd {
  how: 'ended' | 'interrupted' | 'replaced' | 'gone';
  last: ReturnType<typeof sessionActivity>['kind'];
}

/** Follows the session (and the lamps' fade after it) until it ends or Ctrl-C, redrawing one line on a terminal. */
async function follow(source: StateSource, turn: TurnView, cli: Io, waitMs: number): Promise<FollowEnd> {
  const snap = await source.snapshot();
  const skew = snap.now - Date.now();
  let seen = false;
  let kind: FollowEnd['last'] = 'none';
  let last = '';
  return new Promise<FollowEnd>((resolve) => {
    let finished = false;
    const finish = (how: FollowEnd['how']): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      clearTimeout(nothing);
      unsubscribe();
      cli.out(cli.isTTY ? '\n' : '');
      resolve({ how, last: kind });
    };
    const draw = (): void => {
      const now = Date.now() + skew;
      const line = progressLine(snap, now);
      if (cli.isTTY) cli.out(`\r\x1b[2K${line}`);
      else if (line.split(' · ')[0] !== last.split(' · ')[0]) cli.out(`${line}\n`);
      last = line;
      const activity = sessionActivity(snap, now);
      kind = activity.kind;
      if (activity.kind !== 'none' && !(activity.kind === 'session' && activity.status === 'paused')) seen = true;
      else if (seen) finish('ended');
    };
    const unsubscribe = source.subscribe(
      (event) => {
        (snap as unknown as Record<string, unknown>)[event.type] = event.data;
        if (event.type === 'turn' && event.data?.speaksAt !== turn.speaksAt) finish('replaced');
        else if (event.type === 'session' || event.type === 'starting') draw();
      },
      () => finish('gone'),
    );
    const timer = setInterval(draw, cli.isTTY ? 250 : 500);
    // A reply that starts nothing (the home unreachable, nothing running to stop) is not followed for long.
    const nothing = setTimeout(() => {
      if (!seen) finish('ended');
    }, waitMs);
    cli.onSignal(() => finish('interrupted'));
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
  for (const candidate of candidates) {
    const url = candidate.replace(/\/$/, '');
    const ok = await fetch(`${url}/api/state`, { signal: AbortSignal.timeout(LOOK_TIMEOUT_MS) }).then(
      async (res) => {
        await res.body?.cancel();
        return res.ok;
      },
      () => false,
    );
    if (ok) return url;
    if (explicit) throw new Error(`no Wind Down at ${explicit} (is \`winddown start\` running?)`);
  }
  return null;
}

async function postSay(url: string, text: string): Promise<TurnView> {
  const res = await fetch(`${url}/api/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as TurnView;
}

/** One Server-Sent Events block's event name and data (its `data:` lines joined), or null for a comment. */
export function parseEventBlock(block: string): { event: string; data: string } | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}

/** The running system's live updates, over its Server-Sent Events stream. */
function remoteSource(url: string): StateSource {
  return {
    snapshot: async () => {
      const res = await fetch(`${url}/api/state`, { signal: AbortSignal.timeout(REPLY_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return (await res.json()) as HubSnapshot;
    },
    subscribe: (listener, onClosed) => {
      const stop = new AbortController();
      const read = async (): Promise<void> => {
        const res = await fetch(`${url}/events`, { headers: { accept: 'text/event-stream' }, signal: stop.signal });
        if (!res.ok || !res.body) return;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer = (buffer + value).replace(/\r\n?/g, '\n');
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = parseEventBlock(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            if (block?.event === 'update') listener(JSON.parse(block.data) as HubEvent);
          }
        }
      };
      // However the stream ends (the system stopped, the connection broke), following ends with it.
      read().then(
        () => onClosed?.(),
        () => {
          if (!stop.signal.aborted) onClosed?.();
        },
      );
      return () => stop.abort();
    },
  };
}
