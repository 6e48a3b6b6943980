export { type Poller, startPoller } from './local/poller.js';
