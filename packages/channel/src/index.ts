/** @impasto/channel: one versioned, checked request/reply-plus-events channel for every postMessage boundary. */
export {
  type Channel,
  type ChannelChecks,
  type ChannelOptions,
  createChannel,
  type Messages,
  type Port,
  Transferring,
  transferring,
} from './channel.js';
export { ChannelError, type ChannelErrorReason, isChannelError } from './channel-error.js';
export { type Check, is, shape } from './checks.js';
export { type MessageEndpoint, messagePort } from './message-port.js';
