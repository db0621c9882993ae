export * from './types';
export { compilePlan, resolveOptions, paceAt, DEFAULT_OPTIONS, PlanError } from './compile';
export { renderSsml, renderSsmlFrom, renderSpeech, escapeText, CONTINUE_PROMPT } from './ssml';
export { choreograph, DARK_LEVELS, DEFAULT_LEVELS } from './choreography';
export { estimateSpeechMs } from './speech-model';
export { chooseScript, DEFAULT_TECHNIQUE, diffuserWith } from './select';
