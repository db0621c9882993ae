/**
 * The last line of defence: an exception nothing caught, or a promise rejection nobody handled, means
 * the bridge's state can no longer be trusted. Rather than carry on (or die with the diffuser on and
 * the lights mid-breath), it switches the diffuser off, runs the lights' end action, logs what
 * happened, and exits non-zero so the service manager starts it afresh.
 */
import type { Logger } from './log';
import { errorDetail } from './log';

/** The process exits by then, even if switching off hangs. */
export const FAIL_SAFE_EXIT_MS = 15_000;
export const FAIL_SAFE_EXIT_CODE = 1;

export interface FailSafeOptions {
  /** `process`, or a stand-in that emits the same two events. */
  proc: { on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown };
  /** What the bridge offers for this (its `failSafe`): named here so the process layer needs nothing above it. */
  bridge: { failSafe(): Promise<void> };
  log: Logger;
  exit: (code: number) => void;
  exitAfterMs?: number;
}

export function installFailSafe(options: FailSafeOptions): void {
  const { proc, bridge, log, exit } = options;
  let failing = false;
  const fail = (kind: 'uncaught exception' | 'unhandled rejection', error: unknown): void => {
    const stack = error instanceof Error ? error.stack : undefined;
    log.fatal({ err: errorDetail(error), stack }, `${kind}: switching the diffuser off and ending the lights, then exiting`);
    if (failing) return;
    failing = true;
    const cap = setTimeout(() => exit(FAIL_SAFE_EXIT_CODE), options.exitAfterMs ?? FAIL_SAFE_EXIT_MS);
    bridge
      .failSafe()
      .catch((failure: unknown) => log.error({ err: errorDetail(failure) }, 'fail-safe did not finish'))
      .finally(() => {
        clearTimeout(cap);
        log.info({ code: FAIL_SAFE_EXIT_CODE }, 'exiting after the fail-safe');
        exit(FAIL_SAFE_EXIT_CODE);
      });
  };
  proc.on('uncaughtException', (error) => fail('uncaught exception', error));
  proc.on('unhandledRejection', (reason) => fail('unhandled rejection', reason));
}
