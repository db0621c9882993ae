/**
 * Persistent attributes in local JSON files, for running the skill off Lambda (the local run, tests).
 * One file per user, named by a hash of the user id so ids never appear on disk; written to a temporary
 * file and renamed, so a crash never leaves half a file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PersistenceAdapter } from 'ask-sdk-core';
import type { RequestEnvelope } from 'ask-sdk-model';

type Attributes = Record<string, unknown>;

export class FileStore implements PersistenceAdapter {
  constructor(private readonly dir: string) {}

  private fileOf(envelope: RequestEnvelope): string {
    const userId = envelope.context?.System?.user?.userId ?? envelope.session?.user?.userId ?? 'anonymous';
    const key = createHash('sha256').update(userId).digest('hex').slice(0, 32);
    return join(this.dir, `${key}.json`);
  }

  async getAttributes(envelope: RequestEnvelope): Promise<Attributes> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.fileOf(envelope), 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Attributes) : {};
    } catch (error) {
      // Checked by shape: errors from node's fs are not always instances of this realm's Error.
      if ((error as { code?: unknown } | null)?.code === 'ENOENT') return {};
      // A damaged file must not stop someone's session: start again from nothing.
      if (error instanceof SyntaxError) return {};
      throw error;
    }
  }

  async saveAttributes(envelope: RequestEnvelope, attributes: Attributes): Promise<void> {
    const file = this.fileOf(envelope);
    await mkdir(this.dir, { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(attributes), { mode: 0o600 });
    await rename(temp, file);
  }

  async deleteAttributes(envelope: RequestEnvelope): Promise<void> {
    await rm(this.fileOf(envelope), { force: true });
  }
}
