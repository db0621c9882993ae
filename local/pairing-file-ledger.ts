/**
 * The pairing ledger (lambda/pairing-ledger.ts) in local files, for the local run: a claim is a file
 * created exclusively (`wx`: of two claims at once the second fails with EEXIST, even from two
 * processes), and wrong codes are lines appended (O_APPEND: whole lines, never lost between writers)
 * to one file per account and one per minute for the whole skill. Account ids are hashed before they
 * name a file.
 */
import { createHash } from 'node:crypto';
import { access, appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { minuteOf, withinWindow, type FailureCounts, type PairingLedger } from '../lambda/pairing-ledger';

const nameOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

async function lines(file: string): Promise<number[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map(Number)
      .filter((n) => Number.isFinite(n));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
}

export class FileLedger implements PairingLedger {
  constructor(private readonly dir: string) {}

  private file(kind: 'claims' | 'fails', name: string): string {
    return path.join(this.dir, kind, name);
  }

  async failures(account: string, now: number): Promise<FailureCounts> {
    const [mine, skill] = await Promise.all([lines(this.file('fails', nameOf(account))), lines(this.file('fails', `skill-${minuteOf(now)}`))]);
    return { account: withinWindow(mine, now).length, skill: skill.length };
  }

  async fail(account: string, now: number): Promise<void> {
    await mkdir(path.join(this.dir, 'fails'), { recursive: true, mode: 0o700 });
    await Promise.all([appendFile(this.file('fails', nameOf(account)), `${now}\n`), appendFile(this.file('fails', `skill-${minuteOf(now)}`), `${now}\n`)]);
  }

  async claimed(claimIds: readonly string[]): Promise<boolean> {
    const found = await Promise.all(
      claimIds.map((id) =>
        access(this.file('claims', nameOf(id))).then(
          () => true,
          () => false,
        ),
      ),
    );
    return found.includes(true);
  }

  async claim(claimId: string, account: string, now: number): Promise<boolean> {
    await mkdir(path.join(this.dir, 'claims'), { recursive: true, mode: 0o700 });
    try {
      await writeFile(this.file('claims', nameOf(claimId)), `${JSON.stringify({ account, at: now })}\n`, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') return false;
      throw error;
    }
  }
}
