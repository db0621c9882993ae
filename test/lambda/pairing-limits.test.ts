/**
 * PairHomeIntent's limits through the real interaction model, before any broker is asked: the
 * skill-wide budget of wrong codes, and a ledger or attributes that cannot be read, which count as a
 * wrong code and check none.
 */
import * as entry from '../../lambda/persistence/dynamodb-entry';
import { MemoryLedger, SKILL_MAX_FAILURES_PER_MINUTE, type PairingLedger } from '../../lambda/pairing-ledger';
import * as say from '../../lambda/speech';
import { awsEnv, startSilentServer } from '../support/dynalite';
import { harness, textOf, type Harness } from './helpers';

const CODE = '482915307';
// Hosted, with a broker nobody listens on: these answers must come before the broker is needed.
const HOSTED = { WINDDOWN_MQTT_URL: 'mqtt://127.0.0.1:9', WINDDOWN_HOME_ID: '' };

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function skill(options: Parameters<typeof harness>[0]): Harness {
  const h = harness(options);
  open.push(h);
  return h;
}

test('once the skill has heard its budget of wrong codes this minute, nobody\'s code is checked until the next', async () => {
  const ledger = new MemoryLedger();
  const now = Date.now();
  for (let i = 0; i < SKILL_MAX_FAILURES_PER_MINUTE; i++) await ledger.fail(`guesser-${i}`, now);
  const stranger = skill({ env: HOSTED, pairingLedger: ledger, now: () => now });
  expect(textOf(await stranger.intend('PairHomeIntent', { code: CODE }))).toBe(say.PAIR_BUSY);
  // Not a wrong code of theirs: their own count is untouched.
  expect((await ledger.failures('x', now)).skill).toBe(SKILL_MAX_FAILURES_PER_MINUTE);
  const later = skill({ env: HOSTED, pairingLedger: ledger, now: () => now + 60_000, sameUserAs: stranger });
  expect(textOf(await later.intend('PairHomeIntent', { code: CODE }))).toBe(say.PAIR_UNREACHABLE);
});

test('a ledger that cannot be read refuses the code and records a wrong one', async () => {
  const failures: string[] = [];
  const broken: PairingLedger = {
    failures: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
    fail: (account) => {
      failures.push(account);
      return Promise.resolve();
    },
    claim: () => Promise.reject(new Error('unreachable')),
    claimed: () => Promise.reject(new Error('unreachable')),
  };
  const person = skill({ env: HOSTED, pairingLedger: broken });
  expect(textOf(await person.intend('PairHomeIntent', { code: CODE }))).toBe(say.PAIR_STATE_UNREADABLE);
  expect(failures).toHaveLength(1);
  expect(person.log.lines.map((l) => l.event)).toContain('pairing.failed');
});

test('attributes that could not be read (a table that does not answer) refuse the code too', async () => {
  const silent = await startSilentServer();
  const saved = { ...process.env };
  try {
    Object.assign(process.env, awsEnv(silent.endpoint));
    const ledger = new MemoryLedger();
    const person = skill({ env: { ...HOSTED, WINDDOWN_DYNAMODB_TABLE: 'silent' }, pairingLedger: ledger, loadDynamo: () => entry });
    const now = Date.now();
    expect(textOf(await person.intend('PairHomeIntent', { code: CODE }))).toBe(say.PAIR_STATE_UNREADABLE);
    expect((await ledger.failures('any', now)).skill).toBe(1);
  } finally {
    process.env = saved;
    await silent.close();
  }
});
