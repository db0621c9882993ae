/** The pairing ledger in local files (the all-in-one local run), held to every ledger's rules. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileLedger } from '../../local/pairing-file-ledger';
import { ledgerContract } from '../support/pairing-ledger-contract';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the pairing ledger in files', () => {
  ledgerContract(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'winddown-ledger-'));
    dirs.push(dir);
    return new FileLedger(dir);
  });
});
