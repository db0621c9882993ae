/**
 * The Hue bridge's certificate, pinned. node-hue-api checks that the certificate's name is the bridge
 * id it has just asked the bridge for (unauthenticated), then turns verification off: anyone who can
 * answer for the bridge's address can name themselves after it. `winddown hue pair` records the
 * certificate's SHA-256 fingerprint (WINDDOWN_HUE_FINGERPRINT); every connection to the bridge after
 * that is handed to a request only once its certificate has that fingerprint, so a different one never
 * sees the username or a command.
 */
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { normalizeFingerprint } from './fingerprint';
import { LightsError } from '../types';

export { normalizeFingerprint };

function connectAndRead(host: string, port: number, timeoutMs: number, done: (error: Error | null, socket: tls.TLSSocket | null, fingerprint: string | null) => void): void {
  // Verification is ours (the fingerprint), not a CA's: a Hue bridge's certificate is its own.
  const socket = tls.connect({ host, port, rejectUnauthorized: false });
  let settled = false;
  const finish = (error: Error | null, fingerprint: string | null): void => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    done(error, error ? null : socket, fingerprint);
  };
  socket.setTimeout(timeoutMs, () => {
    socket.destroy();
    finish(new LightsError(`Hue bridge at ${host}:${port} did not answer within ${timeoutMs} ms`), null);
  });
  socket.once('error', (error: Error) => finish(error, null));
  socket.once('secureConnect', () => finish(null, normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '')));
}

/** The fingerprint of the certificate a Hue bridge presents now (for pairing). */
export function certificateFingerprint(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    connectAndRead(host, port, timeoutMs, (error, socket, fingerprint) => {
      socket?.destroy();
      if (error) reject(error);
      else if (fingerprint === null) reject(new LightsError(`Hue bridge at ${host}:${port} presented no certificate`));
      else resolve(fingerprint);
    });
  });
}

export function fingerprintMismatch(host: string, port: number, presented: string | null, pinned: string): LightsError {
  return new LightsError(
    `the Hue bridge at ${host}:${port} presented a certificate (SHA-256 ${presented ?? 'none'}) that is not the one recorded when it was paired (WINDDOWN_HUE_FINGERPRINT ${pinned}): refusing to talk to it. If you replaced or reset the bridge, run \`winddown hue pair\` again.`,
  );
}

/**
 * An HTTPS agent that gives a request its connection only after the bridge's certificate matched the
 * pinned fingerprint: nothing (no username, no command) is written to a connection that did not.
 */
export class PinnedAgent extends https.Agent {
  constructor(
    private readonly pinned: string,
    private readonly timeoutMs: number,
  ) {
    super({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 50, timeout: timeoutMs, rejectUnauthorized: false });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    connectAndRead(host, port, this.timeoutMs, (error, socket, fingerprint) => {
      if (error || !socket) return callback?.(error ?? new LightsError('no connection'), undefined as unknown as Duplex);
      if (fingerprint !== this.pinned) {
        socket.destroy();
        return callback?.(fingerprintMismatch(host, port, fingerprint, this.pinned), undefined as unknown as Duplex);
      }
      callback?.(null, socket);
    });
    // The connection is handed over through the callback, once checked.
    return undefined;
  }
}
