/**
 * docs/protocol.md is generated from the protocol's code; this fails when the committed document and the
 * generator disagree (run `node scripts/gen-protocol-doc.mjs`), and checks the examples it shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderProtocolDoc } from '../../scripts/gen-protocol-doc';
import { BedtimeState, DiffuserState, parseCommand, SessionState } from '../../src/protocol/messages';
import { parseHomeKey, TEST_VECTOR, verifySigned } from '../../src/protocol/signing';
import { homeTopics } from '../../src/protocol/topics';

const DOC = join(__dirname, '../../docs/protocol.md');

describe('docs/protocol.md', () => {
  const generated = renderProtocolDoc();

  it('is what the generator writes from the current schemas', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(generated);
  });

  it('documents every topic, command and drop reason', () => {
    for (const topic of Object.values(homeTopics('<homeId>'))) expect(generated).toContain(`\`${topic}\``);
    for (const type of ['session.start', 'session.stop', 'diffuser.set', 'bedtime.set']) expect(generated).toContain(`### \`${type}\``);
    for (const reason of ['oversized', 'signature', 'malformed', 'version', 'schema', 'other-home', 'stale', 'future', 'duplicate', 'unsafe']) {
      expect(generated).toContain(`| \`${reason}\` |`);
    }
  });

  it('shows examples that the shared parser accepts', () => {
    const examples = [...generated.matchAll(/Example:\n\n```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    expect(examples).toHaveLength(7);
    const commands = examples.filter((e) => 'type' in e);
    expect(commands.map((c) => c.type)).toEqual(['session.start', 'session.stop', 'diffuser.set', 'bedtime.set']);
    for (const command of commands) expect(parseCommand(JSON.stringify(command))).toEqual({ ok: true, command });
    const [session, diffuser, bedtime] = examples.filter((e) => !('type' in e));
    expect(SessionState.safeParse(session).success).toBe(true);
    expect(DiffuserState.safeParse(diffuser).success).toBe(true);
    expect(BedtimeState.safeParse(bedtime).success).toBe(true);
  });

  it('shows how to sign, with the test vector and a payload that verifies with its key', () => {
    for (const value of Object.values(TEST_VECTOR)) expect(generated).toContain(value);
    const payload = /The payload published for it:\n\n```json\n(.*)\n```/.exec(generated)?.[1] ?? '';
    expect(verifySigned(parseHomeKey(TEST_VECTOR.keyHex)!, payload)).toEqual({ ok: true, commandText: TEST_VECTOR.commandText });
  });

  it('includes a JSON Schema for each message', () => {
    const schemas = [...generated.matchAll(/<summary>JSON Schema<\/summary>\n\n```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as { $schema: string });
    expect(schemas).toHaveLength(7);
    for (const schema of schemas) expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});
