/**
 * MQTT topics of one home. Commands flow down on `cmd`; everything else flows up and is retained,
 * so a dashboard that connects late still sees the current state.
 */
export const TOPIC_ROOT = 'winddown';

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
  };
}
