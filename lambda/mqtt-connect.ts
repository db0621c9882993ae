/**
 * A slim `mqtt.connect` for the Lambda bundle. mqtt.js's own `connect` pulls in every transport it
 * knows (SOCKS proxies with their IP-address parser, WeChat and Alipay mini-programs, browser timers):
 * about 70 KB of the bundle, loaded on every cold start. This builds the same `MqttClient` over the
 * three transports behind every scheme the settings accept (`src/config/mqtt.ts`): TCP (mqtt, tcp),
 * TLS (mqtts, ssl; AWS IoT Core) and WebSocket (ws, wss). The WebSocket code is only loaded when a
 * ws/wss URL is configured.
 */
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { MqttScheme } from '../src/config/mqtt';

type StreamBuilder = (client: MqttClient) => Duplex;
type ClientConstructor = new (streamBuilder: StreamBuilder, options: IClientOptions) => MqttClient;

/** Every accepted scheme, its transport and default port: the type makes a new scheme need an entry here. */
const TRANSPORTS: Record<MqttScheme, { protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss'; port: number }> = {
  mqtt: { protocol: 'mqtt', port: 1883 },
  tcp: { protocol: 'mqtt', port: 1883 },
  mqtts: { protocol: 'mqtts', port: 8883 },
  ssl: { protocol: 'mqtts', port: 8883 },
  ws: { protocol: 'ws', port: 80 },
  wss: { protocol: 'wss', port: 443 },
};

export function connectMqtt(url: string, options: IClientOptions): MqttClient {
  const parsed = new URL(url);
  const scheme = parsed.protocol.replace(/:$/, '');
  const transport = Object.hasOwn(TRANSPORTS, scheme) ? TRANSPORTS[scheme as MqttScheme] : undefined;
  if (transport === undefined) throw new Error(`unsupported MQTT protocol "${scheme}"`);
  const { protocol, port } = transport;
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  const opts: IClientOptions = {
    ...options,
    protocol,
    hostname,
    host: hostname,
    port: parsed.port ? Number(parsed.port) : port,
    path: parsed.pathname || '/',
  };
  if (parsed.username && opts.username === undefined) opts.username = decodeURIComponent(parsed.username);
  if (parsed.password && opts.password === undefined) opts.password = decodeURIComponent(parsed.password);

  let build: StreamBuilder;
  if (protocol === 'mqtt') {
    build = () => netConnect({ host: hostname, port: opts.port! });
  } else if (protocol === 'mqtts') {
    const tlsOptions: ConnectionOptions = { host: hostname, port: opts.port!, rejectUnauthorized: true };
    if (!/^[\d.:]+$/.test(hostname)) tlsOptions.servername = hostname;
    if (opts.ca !== undefined) tlsOptions.ca = opts.ca;
    if (opts.cert !== undefined) tlsOptions.cert = opts.cert;
    if (opts.key !== undefined) tlsOptions.key = opts.key as ConnectionOptions['key'];
    build = () => tlsConnect(tlsOptions);
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ws = require('mqtt/lib/connect/ws') as { streamBuilder: (client: MqttClient, opts: IClientOptions) => Duplex };
    build = (client) => ws.streamBuilder(client, { ...opts, wsOptions: { ca: opts.ca, cert: opts.cert, key: opts.key } });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Client = (require('mqtt/lib/client') as { default: ClientConstructor }).default;
  return new Client(build, opts);
}
