/**
 * What travels on the wire: every message is an envelope naming its channel and protocol version. `hello` is the
 * first a side sends; `rejected` answers a message that was turned away and is read whatever its version (so a
 * side of another version still learns why), never answered itself.
 */
import { ChannelError, type ChannelErrorReason } from './channel-error.js';
import { is, shape } from './checks.js';

interface Stamp {
  readonly channel: string;
  readonly version: number;
}

export type Envelope = Stamp &
  (
    | { readonly kind: 'hello' }
    | { readonly kind: 'request'; readonly id: number; readonly type: string; readonly payload?: unknown }
    | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly payload?: unknown }
    /** The handler failed: `error` as the channel's `encodeError` wrote it. */
    | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: unknown }
    | { readonly kind: 'event'; readonly type: string; readonly payload?: unknown }
    /** `id`: the request that was turned away. */
    | {
        readonly kind: 'rejected';
        readonly id?: number;
        readonly reason: ChannelErrorReason;
        readonly message: string;
      }
  );

export type Rejection = Extract<Envelope, { kind: 'rejected' }>;

const REASONS = ['malformed', 'unknown-type', 'wrong-version', 'unknown-id', 'closed', 'timeout'] as const;

const isStamped = shape<Stamp & { kind: string }>({ channel: is.string, version: is.count, kind: is.string });

const BODIES: { readonly [K in Envelope['kind']]: (v: { readonly [field: string]: unknown }) => boolean } = {
  hello: () => true,
  request: shape({ id: is.count, type: is.text }),
  reply: (v) => is.count(v.id) && (v.ok === true || (v.ok === false && 'error' in v)),
  event: shape({ type: is.text }),
  rejected: shape({ id: is.optional(is.count), reason: is.oneOf(...REASONS), message: is.string }),
};

/** Object.hasOwn, for hosts whose library predates it (the Figma sandbox's ES2020). */
// biome-ignore lint/suspicious/noPrototypeBuiltins: Object.hasOwn is ES2022, newer than the sandbox's library
export const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

const isKind = (kind: string): kind is Envelope['kind'] => hasOwn(BODIES, kind);

/**
 * The envelope in `data`, checked: its channel, its shape, and its version (a rejection's version is not checked).
 * Throws a ChannelError saying what is wrong.
 */
export function readEnvelope(data: unknown, channel: string, version: number): Envelope {
  if (!isStamped(data) || data.channel !== channel) {
    throw new ChannelError('malformed', `not a message of the ${channel} channel`);
  }
  if (!isKind(data.kind) || !BODIES[data.kind]({ ...data })) {
    throw new ChannelError('malformed', `malformed ${JSON.stringify(data.kind)} message on the ${channel} channel`);
  }
  const envelope = data as Envelope; // checked just above: its stamp, its kind and that kind's fields
  if (envelope.kind !== 'rejected' && envelope.version !== version) {
    throw new ChannelError(
      'wrong-version',
      `a message of protocol version ${envelope.version} on the ${channel} channel; this side speaks version ${version}`,
    );
  }
  return envelope;
}

const isRequestStamp = shape<{ channel: string; kind: 'request'; id: number }>({
  channel: is.string,
  kind: is.oneOf('request'),
  id: is.count,
});
const isOwnStamp = shape<{ channel: string; kind: string }>({ channel: is.string, kind: is.string });

/**
 * The `rejected` notice that answers `data`, turned away for `error`: only to a message of this channel (other
 * traffic on a window is not ours to answer), never to a rejection; with the request's id when it was one.
 */
export function rejectionOf(data: unknown, channel: string, error: ChannelError): Record<string, unknown> | undefined {
  if (!isOwnStamp(data) || data.channel !== channel || data.kind === 'rejected') return undefined;
  const id = isRequestStamp(data) ? data.id : undefined;
  return { kind: 'rejected', ...(id === undefined ? {} : { id }), reason: error.reason, message: error.message };
}
