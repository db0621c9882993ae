/**
 * The Lambda entry: `handler`. The skill, its home link and its store are built on the first request
 * and kept for the life of the container, so warm requests reuse the MQTT connection.
 */
import { randomUUID } from 'node:crypto';
import type { Skill } from 'ask-sdk-core';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import type { Context } from 'aws-lambda';
import { SCRIPTS } from '../src/content/scripts';
import { parseHomeKey } from '../src/protocol/signing';
import type { FaqMatcher } from '../src/faq/match';
import { deviceTimeZone } from './alexa-apis/time-zone';
import type * as FaqEntry from './faq-entry';
import { readConfig } from './config';
import type { SkillDeps } from './context';
import { disabledHomeLink, mqttHomeLink } from './home-link';
import { hostedHomes, personalHomes, type Homes } from './homes';
import { connectPairingClient, type PairingDesk, type PairingDeskOptions } from './pairing-desk';
import type * as PairingEntry from './pairing-entry';
import { jsonLog, type Log } from './log';
import { createPairingLedger, createPersistence, loadDynamo, type DynamoModule, type Persistence } from './persistence';
import type { PairingLedger } from './pairing-ledger';
import { buildSkill } from './skill';

export interface HandlerOptions {
  env?: NodeJS.ProcessEnv;
  log?: Log;
  now?: () => number;
  /** Where the DynamoDB adapter comes from (tests load it from source; the built Lambda from dynamodb.js). */
  loadDynamo?: () => DynamoModule;
  /** Where attributes live, for a run off Lambda (the local run's files); default: by the configuration. */
  persistence?: Persistence;
  /** Where pairing tries and claims are counted (the local run's files); default: DynamoDB with a table, else memory. */
  pairingLedger?: PairingLedger;
  /** Where the device's time zone comes from; default: the Alexa Settings API at the request's `apiEndpoint`. */
  timeZone?: SkillDeps['timeZone'];
}

export type AlexaHandler = ((event: RequestEnvelope, context?: Context) => Promise<ResponseEnvelope>) & {
  /** Closes the home link and waits for the store's writes (tests, local runs). */
  close(): Promise<void>;
};

/**
 * The FAQ and its index are only needed when someone asks a question, so they are loaded then, keeping
 * them off the cold start of "Alexa, start wind down" (in the built Lambda, from faq.js beside index.js).
 */
function loadFaq(): FaqMatcher {
  // A runtime require by design: the build turns it into a require of faq.js (see faq-entry.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./faq-entry') as typeof FaqEntry).createMatcher();
}

/**
 * The pairing desk and the sealing it does are only needed when someone pairs a home, so they are
 * loaded on the first pairing request (in the built Lambda, from pairing.js beside index.js).
 */
function lazyPairingDesk(options: PairingDeskOptions): PairingDesk {
  let desk: PairingDesk | null = null;
  return {
    pair(request) {
      // A runtime require by design: the build turns it into a require of pairing.js (see pairing-entry.ts).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      desk ??= (require('./pairing-entry') as typeof PairingEntry).pairingDesk({
        connect: (clientId) => connectPairingClient(options.settings, clientId),
        timeoutMs: options.timeoutMs,
        log: options.log,
      });
      return desk.pair(request);
    },
  };
}

export function createHandler(options: HandlerOptions = {}): AlexaHandler {
  let skill: Skill | null = null;
  let homes: Homes | null = null;
  let persistence: Persistence | null = null;
  const setup = (): Skill => {
    const config = readConfig(options.env ?? process.env);
    const log = options.log ?? jsonLog();
    for (const problem of config.problems) log.error('config', { problem });
    const { mqtt, homeId, publishTimeoutMs: timeoutMs } = config;
    if (homeId !== undefined) {
      // Personal mode: one home, whoever asks.
      const key = config.homeKey === undefined ? null : parseHomeKey(config.homeKey);
      homes = personalHomes(mqtt && key ? mqttHomeLink({ settings: mqtt, homeId, key, timeoutMs, log }) : disabledHomeLink(homeId));
    } else {
      // Hosted mode: each user's own paired home, each signed with its own key.
      homes = hostedHomes(mqtt ? (id, key, keyId) => mqttHomeLink({ settings: mqtt, homeId: id, key, ...(keyId ? { keyId } : {}), timeoutMs, log }) : null);
    }
    persistence = options.persistence ?? createPersistence(config, options.loadDynamo ?? loadDynamo, log);
    const store = persistence;
    const pairing =
      homeId === undefined && mqtt ? { desk: lazyPairingDesk({ settings: mqtt, timeoutMs, log }), ledger: options.pairingLedger ?? createPairingLedger(config, options.loadDynamo ?? loadDynamo, log) } : null;
    let faq: FaqMatcher | null = null;
    const now = options.now ?? Date.now;
    const deps: SkillDeps = {
      config,
      homes,
      pairing,
      stateReadFailed: (h) => store.readFailed?.(h.requestEnvelope) ?? false,
      log,
      now,
      newSessionId: () => randomUUID().replace(/-/g, '').slice(0, 20),
      scripts: SCRIPTS,
      faq: () => (faq ??= loadFaq()),
      timeZone: options.timeZone ?? ((envelope) => deviceTimeZone(envelope, { now })),
    };
    return buildSkill(deps, persistence);
  };
  const handler = async (event: RequestEnvelope, context?: Context): Promise<ResponseEnvelope> => {
    skill ??= setup();
    return skill.invoke(event, context);
  };
  return Object.assign(handler, {
    close: async (): Promise<void> => {
      await Promise.all([homes?.close(), persistence?.flush()]);
    },
  });
}

export const handler = createHandler();
