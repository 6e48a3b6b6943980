// Time is core's port (`Clock = () => Date`): one clock type for every package.
export { type Clock, systemClock } from '@delivery-history/core';
