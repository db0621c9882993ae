/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // Aedes 1 ships as an ES module; compiling it to CommonJS lets the tests run the broker in-process.
    '/node_modules/aedes/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript', importAttributes: true }, target: 'es2022', experimental: { keepImportAttributes: false } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!aedes/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Integration tests start real brokers and HTTP servers; give them room without hiding hangs.
  testTimeout: 20000,
};
