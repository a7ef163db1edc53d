// Suites kept apart by file name: unit (pure, parallel), int (real stores, brokers), e2e (HTTP),
// kafka (*.kafka.int.spec.ts: a real Kafka broker, test/support/kafka).
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
// Packages that ship ES modules only: Node 20 requires them natively, Jest needs them transformed.
const esmOnly = ['jose', 'content-disposition'].join('|');
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(${esmOnly})/.+\\.js$`]: ['@swc/jest', swc],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly})/)`],
  moduleNameMapper: { '^@app/([a-z-]+)(/.*)?$': '<rootDir>/libs/$1/src$2' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.unit.spec.ts'] },
    {
      ...base,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int.spec.ts'],
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.kafka\\.int\\.spec\\.ts$'],
    },
    // A real Kafka broker from Maven Central jars (test/support/kafka): run in band, after the jars are cached.
    {
      ...base,
      displayName: 'kafka',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.kafka.int.spec.ts'],
      globalSetup: '<rootDir>/test/support/kafka/global-setup.ts',
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'] },
    // The web UI in real headless Chromium (Debian's chromium + playwright-core); builds dist/web first when stale.
    // Run in band: `jest --selectProjects browser --runInBand`.
    {
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser.spec.ts'],
      globalSetup: '<rootDir>/test/browser/support/global-setup.ts',
    },
    // Real processes: the built standalone app killed, restarted and shut down under load, and a real Kafka broker
    // restarted beneath it. Builds once in globalSetup. Run in band: `jest --selectProjects reliability --runInBand`.
    {
      ...base,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.reliability.spec.ts'],
      globalSetup: '<rootDir>/test/reliability/support/global-setup.ts',
    },
  ],
};
