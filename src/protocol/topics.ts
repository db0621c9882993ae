/**
 * MQTT topics of one home. Commands flow down on `cmd`; everything else flows up and is retained,
 * so a dashboard that connects late still sees the current state.
 */
export const TOPIC_ROOT = 'winddown';

/**
 * Names the topic scheme itself uses. A home named like one of them could be mistaken for a part of the
 * scheme (a home called `pairing` would own every pairing offer), so no home may take one: the bridge's
 * settings, scripts/add-home.sh and the AWS IoT Core policy (an explicit Deny) all refuse them.
 */
export const RESERVED_HOME_IDS = ['pairing', 'cmd', 'paired', 'availability', 'state', 'ha', 'skill', 'winddown'] as const;

export function isReservedHomeId(id: string): boolean {
  return (RESERVED_HOME_IDS as readonly string[]).includes(id.toLowerCase());
}

export interface HomeTopics {
  /** Skill → bridge commands (QoS 1). */
  command: string;
  /** Bridge availability: retained "online"/"offline", the latter as the bridge's last will. */
  availability: string;
  sessionState: string;
  diffuserState: string;
  bedtimeState: string;
  /** Live lamp levels, for the dashboard. */
  lightsState: string;
  /** What the bridge has to work with (lamps, a diffuser plug), so the skill can shape the voice. */
  bridgeState: string;
  /** Pairings this home has revoked (`{"revoked": [ids]}`), so the skill can tell their users how to pair again. */
  pairingsState: string;
}

export function homeTopics(homeId: string): HomeTopics {
  const base = `${TOPIC_ROOT}/${homeId}`;
  return {
    command: `${base}/cmd`,
    availability: `${base}/availability`,
    sessionState: `${base}/state/session`,
    diffuserState: `${base}/state/diffuser`,
    bedtimeState: `${base}/state/bedtime`,
    lightsState: `${base}/state/lights`,
    bridgeState: `${base}/state/bridge`,
    pairingsState: `${base}/state/pairings`,
  };
}
