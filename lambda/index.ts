/**
 * The Lambda entry: `handler`. The skill, its home link and its store are built on the first request
 * and kept for the life of the container, so warm requests reuse the MQTT connection.
 */
import { randomUUID } from 'node:crypto';
import type { Skill } from 'ask-sdk-core';
import type { RequestEnvelope, ResponseEnvelope } from 'ask-sdk-model';
import type { Context } from 'aws-lambda';
import { SCRIPTS } from '../src/content/scripts';
import { createFaqMatcher, type FaqMatcher } from '../src/faq/match';
import { FAQ } from '../src/content/faq';
import { readConfig } from './config';
import type { SkillDeps } from './context';
import { disabledHomeLink, mqttHomeLink, type HomeLink } from './home-link';
import { jsonLog, type Log } from './log';
import { createPersistence } from './persistence';
import { buildSkill } from './skill';

export interface HandlerOptions {
  env?: NodeJS.ProcessEnv;
  log?: Log;
  now?: () => number;
}

export type AlexaHandler = ((event: RequestEnvelope, context?: Context) => Promise<ResponseEnvelope>) & {
  /** Closes the home link (tests, local runs). */
  close(): Promise<void>;
};

export function createHandler(options: HandlerOptions = {}): AlexaHandler {
  let skill: Skill | null = null;
  let home: HomeLink | null = null;
  const setup = (): Skill => {
    const config = readConfig(options.env ?? process.env);
    const log = options.log ?? jsonLog();
    for (const problem of config.problems) log.error('config', { problem });
    home = config.mqtt
      ? mqttHomeLink({ settings: config.mqtt, homeId: config.homeId, timeoutMs: config.publishTimeoutMs, log })
      : disabledHomeLink(config.homeId);
    let faq: FaqMatcher | null = null;
    const deps: SkillDeps = {
      config,
      home,
      log,
      now: options.now ?? Date.now,
      newSessionId: () => randomUUID().replace(/-/g, '').slice(0, 20),
      scripts: SCRIPTS,
      faq: () => (faq ??= createFaqMatcher(FAQ)),
    };
    return buildSkill(deps, createPersistence(config));
  };
  const handler = async (event: RequestEnvelope, context?: Context): Promise<ResponseEnvelope> => {
    skill ??= setup();
    return skill.invoke(event, context);
  };
  return Object.assign(handler, {
    close: async (): Promise<void> => {
      await home?.close();
    },
  });
}

export const handler = createHandler();
