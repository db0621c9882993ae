export * from './types';
export { compilePlan, resolveOptions, paceAt, DEFAULT_OPTIONS, PlanError } from './compile';
export { renderSsml, renderSsmlFrom, renderSpeech, escapeText, CONTINUE_PROMPT } from './ssml';
export { choreograph, DEFAULT_LEVELS } from './choreography';
export { estimateSpeechMs } from './speech-model';
export { chooseScript, DEFAULT_TECHNIQUE } from './select';
