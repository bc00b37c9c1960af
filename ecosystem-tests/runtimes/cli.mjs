// Node, Deno and Bun: `<runtime> cli.mjs '<config JSON>'` prints the scenario's report.
import * as sdk from '@featherhq/sdk';
import { scenario } from './scenario.js';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
console.log(JSON.stringify(await scenario(sdk, JSON.parse(args[0]))));
