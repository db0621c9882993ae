/**
 * The `winddown` command as a person meets it: a bare `winddown` and `--version`, and `winddown say`
 * talking to a running `winddown start` over HTTP and its live event stream, then Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { version } from '../../package.json';
import { buildProgram, type CliIo } from '../../devices/cli';
import { createLogger } from '../../devices/process/log';
import { createHandler } from '../../lambda/index';
import { parseEventBlock, registerLocalCommands, removeRunFiles, writeRunFiles } from '../../local/commands';
import { loadLocalConfig } from '../../local/config';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { until } from '../support/until';

const BUILT_CLI = path.join(__dirname, '../../dist/cli/winddown.js');
const BUILT_SKILL = path.join(__dirname, '../../dist/lambda/index.js');

interface Terminal {
  out: string[];
  err: string[];
  codes: number[];
  /** Presses Ctrl-C: every handler the command registered for SIGINT. */
  interrupt(): void;
  program(): ReturnType<typeof buildProgram>;
}

function terminal(env: NodeJS.ProcessEnv = {}): Terminal {
  const out: string[] = [];
  const err: string[] = [];
  const codes: number[] = [];
  const signals: (() => void)[] = [];
  const bridgeIo: Partial<CliIo> = { out: (t) => void out.push(`${t}\n`), err: (t) => void err.push(`${t}\n`), fail: (c) => void codes.push(c), env };
  return {
    out,
    err,
    codes,
    interrupt: () => {
      for (const handler of signals.splice(0)) handler();
    },
    program: () => {
      const program = buildProgram(bridgeIo).exitOverride().configureOutput({ writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t) });
      return registerLocalCommands(program, { out: (t) => void out.push(t), err: (t) => void err.push(t), env, isTTY: false, onSignal: (h) => void signals.push(h) });
    },
  };
}

/** The local run starts real processes' worth of work (a broker, a bridge, the skill): give it time. */
const SLOW_MS = 20_000;

describe('winddown, bare and --version', () => {
  it('prints its help, with the local commands, and succeeds when run bare', async () => {
    const t = terminal();
    await t.program().parseAsync(['node', 'winddown']);
    const help = t.out.join('');
    expect(help).toMatch(/^Usage: winddown/);
    for (const command of ['bridge', 'hue', 'start', 'say']) expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(t.codes).toEqual([]);
    expect(t.err).toEqual([]);
  });

  it('prints the package version for --version and -V, and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const t = terminal();
      const exit = await t.program().parseAsync(['node', 'winddown', flag]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(exit).toBeInstanceOf(CommanderError);
      expect((exit as CommanderError).exitCode).toBe(0);
      expect(t.out.join('')).toBe(`${version}\n`);
    }
  });

  (existsSync(BUILT_CLI) ? it : it.skip)('the built executable does the same', () => {
    expect(execFileSync(process.execPath, [BUILT_CLI, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
    // execFileSync throws on a non-zero exit status.
    expect(execFileSync(process.execPath, [BUILT_CLI], { encoding: 'utf8' })).toMatch(/^Usage: winddown[\s\S]*\n {2}say\b/m);
  });
});

describe('server-sent events as winddown say reads them', () => {
  it('takes the event name and the data, joins data lines and skips comments', () => {
    expect(parseEventBlock('event: update\ndata: {"a":1}')).toEqual({ event: 'update', data: '{"a":1}' });
    expect(parseEventBlock('data: one\ndata: two')).toEqual({ event: 'message', data: 'one\ntwo' });
    expect(parseEventBlock(': still here')).toBeNull();
    expect(parseEventBlock('retry: 1000\nevent: snapshot\ndata:{}')).toEqual({ event: 'snapshot', data: '{}' });
  });
});

describe('winddown say, with winddown start running', () => {
  let system: LocalSystem;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-say-'));
    system = await startLocalSystem({ env: { WINDDOWN_HOME_ID: 'say-test', TZ: 'UTC' }, port: 0, stateDir, log: createLogger({ level: 'silent', format: 'json' }), createHandler });
  }, 30_000);

  afterAll(async () => {
    await system?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }, 30_000);

  it('says it to the running system and prints the reply, with --no-follow', async () => {
    const t = terminal({ WINDDOWN_STATE_DIR: stateDir });
    // The dashboard link as `winddown start` prints it, with the run's token.
    await t.program().parseAsync(['node', 'winddown', 'say', '--url', system.dashboardUrl, '--no-follow', 'what', 'is', 'progressive', 'muscle', 'relaxation']);
    const text = t.out.join('');
    expect(text).toMatch(/^→ \S+/);
    expect(system.hub.snapshot().turn?.text).toBe('what is progressive muscle relaxation');
    expect(text).toContain(system.hub.snapshot().turn?.speech.slice(0, 40));
  });

  it('follows the session over the live stream; Ctrl-C says the session goes on in winddown start', async () => {
    const t = terminal({ WINDDOWN_STATE_DIR: stateDir });
    const said = t.program().parseAsync(['node', 'winddown', 'say', '--url', system.dashboardUrl, 'start', 'wind', 'down']);
    // Progress lines (not a terminal: one line per change) come from the event stream.
    await until(() => /^(starting\s+· lamps join(ing| in \d+:\d\d)|(breathe in|breathe out|hold|drift)\s+· \d+:\d\d left) · lamps/m.test(t.out.join('')), 'a progress line', SLOW_MS);
    // Running with a phase: the plan's first step has reached the lamps (before it they were only greeted,
    // and a stop would give them back rather than fade them).
    await until(() => t.out.join('').includes('lamps') && system.hub.snapshot().session?.status === 'running' && system.hub.snapshot().session?.phase != null, 'the session running', Math.max(SLOW_MS, 30_000));
    t.interrupt();
    await said;
    const text = t.out.join('');
    expect(text).toContain(`Stopped following. The session goes on in \`winddown start\` at ${system.url}; to end it: npx winddown say stop`);
    // Only the command stopped: the home goes on breathing.
    expect(system.hub.snapshot().session?.status).toBe('running');
  }, 40_000);

  it('follows a stop through the lamps fading out, and Ctrl-C says they go on fading', async () => {
    const t = terminal({ WINDDOWN_STATE_DIR: stateDir });
    const said = t.program().parseAsync(['node', 'winddown', 'say', '--url', system.dashboardUrl, 'stop']);
    await until(() => /^fading out\s+· \d:\d\d · lamps/m.test(t.out.join('')), 'the fade', SLOW_MS);
    t.interrupt();
    await said;
    expect(t.out.join('')).toContain(`Stopped following. The lamps go on fading in \`winddown start\` at ${system.url}\n`);
  }, 30_000);

  it('without the token it is refused and says where the token is; nothing is said to the skill', async () => {
    const t = terminal({ WINDDOWN_STATE_DIR: stateDir });
    const before = system.hub.snapshot().turn?.text;
    await expect(t.program().parseAsync(['node', 'winddown', 'say', '--url', system.url, '--no-follow', 'start', 'wind', 'down'])).rejects.toThrow(
      `the Wind Down at ${system.url} asks for its token: run \`winddown say\` in the directory where \`winddown start\` runs, or pass --url with the dashboard link it printed`,
    );
    expect(system.hub.snapshot().turn?.text).toBe(before);
  });

  it("finds the running start's address and token in its state directory (the token readable by its user only)", async () => {
    const env = { WINDDOWN_STATE_DIR: stateDir };
    const config = loadLocalConfig(env);
    // A token file someone left there, even a link to another file, is replaced, not written through.
    const elsewhere = path.join(stateDir, 'elsewhere');
    writeFileSync(elsewhere, 'untouched');
    symlinkSync(elsewhere, path.join(stateDir, 'dashboard-token'));
    writeRunFiles(config, system);
    try {
      const file = path.join(stateDir, 'dashboard-token');
      expect(lstatSync(file).isSymbolicLink()).toBe(false);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toBe(system.access.token);
      expect(readFileSync(elsewhere, 'utf8')).toBe('untouched');
      const t = terminal(env);
      await t.program().parseAsync(['node', 'winddown', 'say', '--no-follow', 'what', 'is', 'box', 'breathing']);
      expect(system.hub.snapshot().turn?.text).toBe('what is box breathing');
    } finally {
      removeRunFiles(config);
    }
    expect(existsSync(path.join(stateDir, 'dashboard-token'))).toBe(false);
  });

  it('names the address when nothing answers there', async () => {
    const t = terminal({ WINDDOWN_STATE_DIR: stateDir });
    const closed = new URL(system.url);
    closed.port = '1';
    await expect(t.program().parseAsync(['node', 'winddown', 'say', '--url', closed.origin, 'stop'])).rejects.toThrow(`no Wind Down at ${closed.origin}`);
  });
});

(existsSync(BUILT_SKILL) ? describe : describe.skip)('winddown say, nothing running', () => {
  it('runs Wind Down for itself; Ctrl-C says it restores the lamps and switches the diffuser off, then stops', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'winddown-say-embedded-'));
    try {
      const t = terminal({ WINDDOWN_STATE_DIR: stateDir, WINDDOWN_HOME_ID: 'say-embedded', TZ: 'UTC' });
      const said = t.program().parseAsync(['node', 'winddown', 'say', '--embedded', 'start', 'wind', 'down']);
      // The session is running from its first progress line: waiting for the breathing itself would wait out
      // the spoken instructions (about 20 s of real time) for nothing this test looks at.
      await until(() => /^(starting\s+· lamps join|(breathe in|breathe out|hold|drift)\s+· \d+:\d\d left)/m.test(t.out.join('')), 'the session running', SLOW_MS * 2);
      t.interrupt();
      await said;
      const text = t.out.join('');
      expect(text).toContain('Stopping: this command ran Wind Down for itself, so the lamps go back to how they were and the diffuser goes off…\nStopped.\n');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 60_000);
});
