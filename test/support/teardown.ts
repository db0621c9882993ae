/**
 * One place that closes what a test started, so a test file cannot forget to. A helper that starts
 * something (a broker, an emulator, a bridge, a temporary directory) registers its closer here as it
 * starts it; closers run last-started first, after each test for what the test (or a beforeEach)
 * started, and after the file for what a beforeAll started.
 *
 * Importing this module registers the hooks in the importing test file (jest gives each file its own
 * module registry, so each file has its own lists).
 */
type Closer = () => unknown;

const afterThisTest: Closer[] = [];
const afterThisFile: Closer[] = [];
let inTest = false;

/** Closes `close` after the current test, or after the file when called from a beforeAll. */
export function onTeardown(close: Closer): void {
  (inTest ? afterThisTest : afterThisFile).push(close);
}

async function closeAll(closers: Closer[]): Promise<void> {
  const errors: unknown[] = [];
  for (const close of closers.splice(0).reverse()) {
    try {
      await close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

beforeEach(() => {
  inTest = true;
});
// Closing a browser or a whole local run takes longer than jest's default hook time.
const CLOSE_MS = 30_000;
afterEach(async () => {
  inTest = false;
  await closeAll(afterThisTest);
}, CLOSE_MS);
afterAll(async () => {
  await closeAll(afterThisFile);
}, CLOSE_MS);

/** `starting`, once started, closed at teardown: `broker = await closedAtTeardown(startAedes())`. */
export async function closedAtTeardown<T extends { close(): unknown }>(starting: Promise<T>): Promise<T> {
  const started = await starting;
  onTeardown(() => started.close());
  return started;
}
