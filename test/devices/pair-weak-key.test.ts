/**
 * `winddown pair` against a skill side that seals a weak key (one byte pattern repeated, not 32 random
 * bytes) with the right code: the home does not take it, and still takes the proper key sealed after it.
 */
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import type { BridgeMqttSettings } from '../../devices/config';
import { pairHome } from '../../devices/pairing/pair';
import { confirmTopic, newPairingId, PAIRING_ROOT, parseOffer, readOfferTopic, sealPairing, type PairingOffer } from '../../src/protocol/pairing';
import { startAedes } from '../support/brokers';
import { onTeardown } from '../support/teardown';

test('a confirm sealing a weak key is ignored; the proper one after it pairs', async () => {
  const broker = await startAedes();
  onTeardown(() => broker.close());
  const code = '482915307';
  const homeId = 'weak-key-home';
  const skill = await mqtt.connectAsync(broker.url, { clientId: 'weak-key-skill', reconnectPeriod: 0 });
  onTeardown(() => skill.endAsync(true));
  let offered: (found: { offer: PairingOffer; tag: string }) => void = () => undefined;
  const offer = new Promise<{ offer: PairingOffer; tag: string }>((resolve) => (offered = resolve));
  skill.on('message', (topic, payload) => {
    const place = readOfferTopic(topic);
    const parsed = parseOffer(payload);
    if (place && parsed) offered({ offer: parsed, tag: place.tag });
  });
  await skill.subscribeAsync(`${PAIRING_ROOT}/#`, { qos: 1 });

  const settings: BridgeMqttSettings = { url: broker.url, clientId: 'weak-key-home' };
  const outcome = pairHome({ mqtt: settings, homeId, code, out: () => undefined, signals: null });
  const found = await offer;
  const weak = sealPairing(found.offer, { tag: found.tag, code, pairingId: newPairingId() }, { key: 'deadbeef'.repeat(8) });
  const goodKey = randomBytes(32).toString('hex');
  const good = sealPairing(found.offer, { tag: found.tag, code, pairingId: newPairingId() }, { key: goodKey });
  // In this order, on one connection: the home hears the weak one first.
  await skill.publishAsync(confirmTopic(homeId), JSON.stringify(weak), { qos: 1 });
  await skill.publishAsync(confirmTopic(homeId), JSON.stringify(good), { qos: 1 });
  expect(await outcome).toEqual({ kind: 'paired', pairing: { id: good.pairingId, key: goodKey, at: expect.any(Number) as number } });
});
