/** Why a channel turned a message away, or could not deliver an answer. */
export type ChannelErrorReason =
  /** Not a message of this channel, or a message whose fields do not have its type's shape. */
  | 'malformed'
  /** A message type this side does not know (or does not handle). */
  | 'unknown-type'
  /** A message from the other side's protocol version. */
  | 'wrong-version'
  /** A reply to no request that is waiting. */
  | 'unknown-id'
  /** The channel was closed before the reply came. */
  | 'closed'
  /** No reply came in time. */
  | 'timeout';

/** The one error a channel raises itself: a message it refused, or a request it could not finish. */
export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly reason: ChannelErrorReason;

  constructor(reason: ChannelErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export const isChannelError = (e: unknown, reason?: ChannelErrorReason): e is ChannelError =>
  e instanceof ChannelError && (reason === undefined || e.reason === reason);
