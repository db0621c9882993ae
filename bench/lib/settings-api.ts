/**
 * The Alexa Settings API as a bench's skill reaches it, on loopback: every device is in one zone. The
 * skill asks it once per device and keeps the answer, so a warm container pays nothing for it and a
 * cold one pays one loopback round trip (on Alexa, one round trip to the Settings API).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startSettingsApi(zone = 'America/New_York'): Promise<{ url: string; close: () => void }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(zone));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
