/** What a broker still retains under the pairing topics: the offers a `winddown pair` left behind. */
import mqtt from 'mqtt';
import { PAIRING_ROOT } from '../../src/protocol/pairing';

/** Every offer retained (as text); a cleared offer is not retained at all. */
export async function retainedOffers(url: string): Promise<string[]> {
  const reader = await mqtt.connectAsync(url, { clientId: `offer-reader-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 0 });
  try {
    const seen: string[] = [];
    reader.on('message', (_t, payload) => void (payload.length > 0 && seen.push(payload.toString())));
    await reader.subscribeAsync(`${PAIRING_ROOT}/#`, { qos: 1 });
    // By the answer to this the broker has sent what it retains.
    await reader.unsubscribeAsync(`${PAIRING_ROOT}/barrier`);
    return seen;
  } finally {
    await reader.endAsync(true);
  }
}
