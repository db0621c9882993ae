/**
 * The plug kinds `WINDDOWN_DIFFUSER` can name, by the name before its first colon (as mqtt.js maps a
 * URL's scheme to its transport). A new kind is one file in this folder and one line here; nothing
 * outside this folder asks which kind a plug is.
 */
import { plainMqtt } from './plain-mqtt';
import { SerialPlug } from './serial';
import { shelly } from './shelly';
import { tasmota } from './tasmota';
import type { Plug, PlugKind, Publisher } from './types';
import { zigbee2mqtt } from './zigbee2mqtt';

export type { Plug, Publisher };

export const PLUG_KINDS = {
  tasmota,
  shelly,
  zigbee2mqtt,
  mqtt: plainMqtt,
} as const;

type Kinds = typeof PLUG_KINDS;
/** A parsed `WINDDOWN_DIFFUSER`: its kind and what that kind needs. */
export type DiffuserSpec = { [K in keyof Kinds]: Kinds[K] extends PlugKind<infer Spec> ? Spec : never }[keyof Kinds];

const usages = Object.values(PLUG_KINDS).map((k) => k.usage);
/** Every kind's usage line: "a, b, c or d". */
export const DIFFUSER_EXPECTED = `${usages.slice(0, -1).join(', ')} or ${usages.at(-1) ?? ''}`;

function kindOf(name: string): PlugKind<DiffuserSpec> | null {
  return Object.hasOwn(PLUG_KINDS, name) ? (PLUG_KINDS[name as keyof Kinds]) : null;
}

/** Parses `WINDDOWN_DIFFUSER` (`<kind>:<what that kind needs>`), or returns the problem ("expected …"). */
export function parseDiffuserSpec(spec: string): DiffuserSpec | string {
  const colon = spec.indexOf(':');
  const kind = kindOf(colon < 0 ? spec : spec.slice(0, colon));
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  // A wildcard in a topic would address every plug it matches.
  if (kind === null || rest === '' || /[+#\0]/.test(rest)) return `expected ${DIFFUSER_EXPECTED}`;
  return kind.parse(rest);
}

/** The plug for a `WINDDOWN_DIFFUSER` setting (already parsed, or as written). */
export function createPlug(spec: DiffuserSpec | string, mqtt: Publisher, clientId = 'winddown-bridge'): Plug {
  const parsed = typeof spec === 'string' ? parseDiffuserSpec(spec) : spec;
  if (typeof parsed === 'string') throw new Error(`WINDDOWN_DIFFUSER: ${parsed}`);
  const kind = kindOf(parsed.kind);
  if (kind === null) throw new Error(`WINDDOWN_DIFFUSER: expected ${DIFFUSER_EXPECTED}`);
  return new SerialPlug(kind.create(parsed, { mqtt, clientId }), kind.kind, kind.timesItself);
}
