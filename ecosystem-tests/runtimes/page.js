// The browser page's module, built by Vite: exposes the SDK and the scenario to the test driver.
import * as sdk from '@featherhq/sdk';
import { scenario } from './scenario.js';

window.FeatherApp = { sdk, scenario };
