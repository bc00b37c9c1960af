// A Cloudflare Worker: POST the scenario's config, get its report.
import * as sdk from '@featherhq/sdk';
import { scenario } from './scenario.js';

export default {
  async fetch(request) {
    return Response.json(await scenario(sdk, await request.json()));
  },
};
