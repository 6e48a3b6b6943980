import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeliveryHistoryStack } from '../src/DeliveryHistoryStack.js';
const t0 = Date.now();
const app = new App({ outdir: '/tmp/quick-cdk-out' });
const stack = new DeliveryHistoryStack(app, 'Test');
const tpl = Template.fromStack(stack);
console.log('synth ms', Date.now() - t0);
console.log(JSON.stringify(tpl.toJSON(), null, 1).slice(0, 200000));
