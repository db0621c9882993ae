/**
 * A skill with no table keeps attributes in memory for the life of its process (on Lambda the disk is
 * read-only), says so once, and hands out copies.
 */
import type { RequestEnvelope } from 'ask-sdk-model';
import { createPersistence } from '../../../lambda/persistence';
import { captureLog } from '../helpers';

const envelopeOf = (userId: string): RequestEnvelope =>
  ({ context: { System: { user: { userId } } }, request: { type: 'LaunchRequest' } }) as unknown as RequestEnvelope;

describe('the skill without a table', () => {
  it('keeps each user’s attributes in memory, as copies, and says where they live', async () => {
    const log = captureLog();
    const store = createPersistence({}, undefined, log);
    expect(log.lines.map((l) => [l.level, l.event])).toEqual([['warn', 'state.memory-only']]);
    const ann = envelopeOf('amzn1.ask.account.ANN');
    const bob = envelopeOf('amzn1.ask.account.BOB');
    const saved = { bedtime: '22:30' };
    await store.saveAttributes(ann, saved);
    saved.bedtime = '23:00';
    expect(await store.getAttributes(ann)).toEqual({ bedtime: '22:30' });
    expect(await store.getAttributes(bob)).toEqual({});
    const read = await store.getAttributes(ann);
    read.bedtime = 'changed';
    expect(await store.getAttributes(ann)).toEqual({ bedtime: '22:30' });
    await store.deleteAttributes?.(ann);
    expect(await store.getAttributes(ann)).toEqual({});
    await store.flush();
  });
});
