/** A home bridge in a child process (drivers/bridge.ts): started from settings, stopped gracefully. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driverPath } from './proc';

export interface BridgeProcess {
  child: ChildProcess;
  stop(): Promise<{ rss: number; heapUsed: number } | null>;
}

export async function startBridgeProcess(settings: Record<string, string>, timeoutMs = 20_000): Promise<BridgeProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), 'winddown-bench-bridge-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WINDDOWN_STATE_DIR: stateDir, NODE_HUE_API_USE_INSECURE_CONNECTION: '1', ...settings };
  const child = spawn(process.execPath, [driverPath('bridge')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bridge did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d: string) => {
      stdout = (stdout + d).slice(-20_000);
      if (stdout.includes('BENCH_READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code} before it was ready: ${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(stateDir, { recursive: true, force: true });
          const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
          resolve(line ? (JSON.parse(line.slice('BENCH_RESULT '.length)) as { rss: number; heapUsed: number }) : null);
        });
        child.kill('SIGTERM');
      }),
  };
}
