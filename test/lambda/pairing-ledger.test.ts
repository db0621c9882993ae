/** The pairing ledger kept in memory (one container, personal and test runs), held to every ledger's rules. */
import { MemoryLedger } from '../../lambda/pairing-ledger';
import { ledgerContract } from '../support/pairing-ledger-contract';

describe('the pairing ledger in memory', () => {
  ledgerContract(() => new MemoryLedger());
});
