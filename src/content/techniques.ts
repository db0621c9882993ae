/**
 * The kinds of session a script can be. Apart from the schemas, so that code choosing a technique by
 * name does not build every content schema (the Lambda's cold start loads only this).
 */
export const TECHNIQUES = [
  'breathing',
  'pmr',
  'back-pmr',
  'body-scan',
  'meditation',
  'imagery',
  'back-stretch',
  'autogenic',
  'back-to-sleep',
] as const;
