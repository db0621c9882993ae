/**
 * Home Assistant MQTT discovery: the diffuser as a switch and the session as a sensor, under one
 * "Wind Down" device, retained so Home Assistant finds them after its own restarts too.
 */
import type { HomeTopics } from '../../src/protocol/topics';
import { TOPIC_ROOT } from '../../src/protocol/topics';

export const HA_PREFIX = 'homeassistant';
export const HA_STATUS_TOPIC = `${HA_PREFIX}/status`;

/** Home Assistant's switch sends plain ON/OFF here; the bridge turns it into a diffuser command. */
export function haDiffuserCommandTopic(homeId: string): string {
  return `${TOPIC_ROOT}/${homeId}/ha/diffuser/set`;
}

export function haDiscoveryConfigs(homeId: string, topics: HomeTopics, withDiffuser: boolean): { topic: string; payload: string }[] {
  const node = `winddown_${homeId}`;
  const device = { identifiers: [node], name: 'Wind Down', manufacturer: 'Wind Down', model: 'Home bridge' };
  const availability = { availability_topic: topics.availability, payload_available: 'online', payload_not_available: 'offline' };
  const configs: { topic: string; payload: string }[] = [
    {
      topic: `${HA_PREFIX}/sensor/${node}/session/config`,
      payload: JSON.stringify({
        name: 'Session',
        unique_id: `${node}_session`,
        state_topic: topics.sessionState,
        value_template: '{{ value_json.status }}',
        json_attributes_topic: topics.sessionState,
        icon: 'mdi:weather-night',
        device,
        ...availability,
      }),
    },
  ];
  if (withDiffuser) {
    configs.push({
      topic: `${HA_PREFIX}/switch/${node}/diffuser/config`,
      payload: JSON.stringify({
        name: 'Diffuser',
        unique_id: `${node}_diffuser`,
        state_topic: topics.diffuserState,
        value_template: "{{ 'ON' if value_json.on else 'OFF' }}",
        json_attributes_topic: topics.diffuserState,
        command_topic: haDiffuserCommandTopic(homeId),
        payload_on: 'ON',
        payload_off: 'OFF',
        icon: 'mdi:scent',
        device,
        ...availability,
      }),
    });
  }
  return configs;
}
