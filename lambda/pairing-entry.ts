/**
 * The skill's side of pairing (lambda/pairing-desk.ts and the sealing in src/protocol/pairing.ts),
 * built into a file of its own (dist/lambda/pairing.js) by scripts/build.mjs and required on the first
 * "pair my home" an instance hears: pairing happens once per home, every other request skips it. The MQTT
 * client stays in index.js (the home link uses it too) and is handed in.
 */
export { pairingDesk } from './pairing-desk';
