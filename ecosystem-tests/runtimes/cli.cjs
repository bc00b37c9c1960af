// Node through `require`: the CommonJS build of the package, with the same scenario.
const sdk = require('@featherhq/sdk');

// Left floating on purpose: a rejection then ends Node with its stack and exit code 1, which the
// runtime matrix reports as the failure.
void import('./scenario.js')
  .then(({ scenario }) => scenario(sdk, JSON.parse(process.argv[2])))
  .then((report) =>
    console.log(JSON.stringify({ ...report, resolved: require.resolve('@featherhq/sdk') })),
  );
