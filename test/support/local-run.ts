/**
 * The local run in this process, and Debian's Chromium driven by playwright-core for the dashboard's
 * tests: both closed by the shared teardown. Without the Chromium binary those suites are skipped.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createLogger } from '../../devices/process/log';
import { createHandler } from '../../lambda/index';
import { startLocalSystem, type LocalSystem } from '../../local/system';
import { onTeardown } from './teardown';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, and never reaching beyond loopback on its own (no updates, sync or QUIC probes). */
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** `describe` where Chromium is installed, `describe.skip` where it is not. */
export const withChromium = existsSync(CHROMIUM) ? describe : describe.skip;

function tempDirClosedAtTeardown(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  onTeardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface LocalOptions {
  env: Record<string, string>;
  /** The skill; from its source by default, so the tests need no build first. */
  createHandler?: typeof createHandler;
  stateDirPrefix?: string;
}

/** The whole local run on a free port, quiet, with its own state directory. */
export async function startLocal(options: LocalOptions): Promise<LocalSystem> {
  const stateDir = tempDirClosedAtTeardown(options.stateDirPrefix ?? 'winddown-local-');
  const system = await startLocalSystem({ env: options.env, port: 0, stateDir, log: createLogger({ level: 'silent', format: 'json' }), createHandler: options.createHandler ?? createHandler });
  onTeardown(() => system.stop());
  return system;
}

/** Chromium on a fresh profile directory: nothing from another run, and never a downloaded browser. */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const profile = tempDirClosedAtTeardown('winddown-chromium-');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, ...options });
  onTeardown(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
