import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../../devices/process/log';
import { StateStore } from '../../devices/state/state-store';
import type { Choreography, SessionStart, LightStep } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import type { HueEmulator } from '../../local/simulators/hue-emulator';
import { startEmulator } from '../support/hue';
import { FakeClock } from '../support/fake-clock';
import { onTeardown } from '../support/teardown';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A logger that keeps its JSON lines in memory, so tests can count them. */
export function memoryLogger(): { log: Logger; lines: LogLine[]; warnings: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, warnings: () => lines.filter((l) => l.level === 40) };
}

/** A temporary directory, removed by the shared teardown if the test has not removed it itself. */
export function tempDir(prefix = 'winddown-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  onTeardown(remove);
  return { dir, remove };
}

const openStores: StateStore[] = [];

/**
 * A loaded state store in `dir`. A test that writes behind (a scheduler, an inbox) awaits `closeStores()`
 * before removing the directory: a write still in flight would otherwise land in a directory being removed.
 */
export function openStore(dir: string, log: Logger): StateStore {
  const store = new StateStore(dir, log);
  store.load();
  openStores.push(store);
  return store;
}

/** Finishes the writes of every store `openStore` opened; they write nothing after this. */
export async function closeStores(): Promise<void> {
  await Promise.all(openStores.splice(0).map((store) => store.close()));
}

/** Inhale to 200 over 4 s, exhale to 30 over 6 s, `breaths` times. */
export function breathing(breaths: number, end: Choreography['end'] = 'restore'): Choreography {
  const steps: LightStep[] = [];
  for (let i = 0; i < breaths; i++) {
    steps.push([i * 10_000, 200, 4000, 'inhale']);
    steps.push([i * 10_000 + 4000, 30, 6000, 'exhale']);
  }
  return { ct: 454, steps, end, endTransitionMs: 2000, totalMs: breaths * 10_000 };
}

let seq = 0;
export function messageId(): string {
  seq += 1;
  return `msg-${Date.now().toString(36)}-${seq.toString().padStart(6, '0')}`;
}

export function sessionStart(now: number, overrides: Partial<SessionStart> = {}): SessionStart {
  const lights = overrides.lights ?? breathing(3);
  return {
    v: PROTOCOL_VERSION,
    id: messageId(),
    homeId: 'home-1',
    issuedAt: now,
    type: 'session.start',
    sessionId: 'sess-0001',
    scriptId: 'paced-breathing',
    title: 'Paced breathing',
    startAt: now + 1000,
    fromMs: 0,
    untilMs: lights.totalMs,
    final: true,
    lights,
    ...overrides,
  };
}


export const T0 = Date.UTC(2025, 0, 15, 21, 0, 0);

/** What each test of a Hue suite gets afresh: a fake clock at T0, the emulator on it, a state directory, a log. */
export interface HueBench {
  clock: FakeClock;
  emulator: HueEmulator;
  dir: ReturnType<typeof tempDir>;
  logs: ReturnType<typeof memoryLogger>;
}

/** A fresh `HueBench` before each test of the suite (the emulator stopped by the shared teardown); read it inside the tests. */
export function useHueBench(): HueBench {
  const bench = {} as HueBench;
  beforeEach(async () => {
    bench.clock = new FakeClock(T0);
    bench.emulator = await startEmulator({ clock: bench.clock });
    bench.dir = tempDir();
    bench.logs = memoryLogger();
  });
  afterEach(async () => {
    await closeStores();
    bench.dir.remove();
  });
  return bench;
}
