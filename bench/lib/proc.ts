/** Child processes for the benches: the compiled drivers, and timing a whole process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { nowMs } from './stats';

/** The repository root and the directory the bench runner compiled the drivers into. */
export const ROOT = process.env.WINDDOWN_ROOT ?? process.cwd();
export const BUILD = process.env.WINDDOWN_BENCH_BUILD ?? join(ROOT, 'node_modules/.cache/winddown-bench/dev');

export function driverPath(name: string): string {
  return join(BUILD, 'drivers', `${name}.cjs`);
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, as the parent saw it. */
  wallMs: number;
}

export function runProcess(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: nowMs() - start });
    });
  });
}

/** The JSON a driver printed after `BENCH_RESULT ` (drivers print exactly one such line). */
export function driverResult<T>(run: ProcessRun): T {
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (run.code !== 0 || !line) {
    throw new Error(`driver failed (exit ${run.code}): ${run.stderr.trim().slice(-800) || run.stdout.trim().slice(-800)}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as T;
}
