/**
 * Waiting for something asynchronous on loopback (an MQTT delivery, an HTTP request, a child process's
 * output) to have happened. Not a clock: time in the tests is a fake clock's, and this only polls.
 */

/** Polls `condition` every `everyMs` until it holds (true) or `ms` pass (false). */
export async function pollUntil(condition: () => boolean, ms: number, everyMs = 5): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** Waits until `condition` holds; fails after `ms`, naming `what` was waited for. */
export async function until(condition: () => boolean, what = 'a condition', ms = 5000): Promise<void> {
  if (!(await pollUntil(condition, ms))) throw new Error(`timed out waiting for ${what}`);
}
