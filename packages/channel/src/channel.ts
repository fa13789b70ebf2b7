/**
 * A request/reply-plus-events channel over any postMessage-like port: `request(type, payload)` resolves with the
 * other side's reply (matched by id), `emit`/`on` carry events, `handle` answers requests. Every message names the
 * channel and its protocol version, and every incoming one is checked — its envelope, its type (known to this
 * side), its payload (the protocol's check for that type) and its version — before any handler sees it. A message
 * that fails is turned away with a ChannelError: reported to `onRejected`, and answered with a `rejected` envelope
 * where the sender can hear it (the request it made rejects with the same reason).
 */
import { messageOf } from '@impasto/errors/message';
import { ChannelError } from './channel-error.js';
import type { Check } from './checks.js';
import { type Envelope, hasOwn, readEnvelope, rejectionOf } from './envelope.js';
import { WaitingRequests } from './waiting.js';

/** Where a channel's envelopes go and come from: a Worker, a MessagePort, a Figma or VS Code webview pair. */
export interface Port {
  /** `transfer`: buffers to move rather than copy (a port that cannot move them copies them). */
  send(message: unknown, transfer: ArrayBuffer[]): void;
  /**
   * Calls `receive` with each message's data (its promise settles once the message is handled: a request
   * answered, an event's listeners done); returns how to stop.
   */
  listen(receive: (data: unknown) => Promise<void>): () => void;
}

/** One side's outgoing messages: the requests it makes (payload, reply) and the events it emits. */
export type Messages = {
  readonly requests: { readonly [type: string]: { readonly payload: unknown; readonly reply: unknown } };
  readonly events: { readonly [type: string]: unknown };
};

type RequestType<M extends Messages> = keyof M['requests'] & string;
type EventType<M extends Messages> = keyof M['events'] & string;
type Payload<M extends Messages, K extends RequestType<M>> = M['requests'][K]['payload'];
type Reply<M extends Messages, K extends RequestType<M>> = M['requests'][K]['reply'];
/** A payload that may be undefined may be left out; a transfer list may follow. */
type Args<P> = undefined extends P ? [payload?: P, transfer?: ArrayBuffer[]] : [payload: P, transfer?: ArrayBuffer[]];

/** A check for everything this side may receive: `In`'s requests and events, and the replies to `Out`'s requests. */
export interface ChannelChecks<Out extends Messages, In extends Messages> {
  readonly requests: { readonly [K in keyof In['requests']]-?: Check<In['requests'][K]['payload']> };
  readonly events: { readonly [K in keyof In['events']]-?: Check<In['events'][K]> };
  readonly replies: { readonly [K in keyof Out['requests']]-?: Check<Out['requests'][K]['reply']> };
}

export interface ChannelOptions<Out extends Messages, In extends Messages> {
  /** The protocol's name: messages of another channel on the same port are turned away. */
  readonly name: string;
  readonly version: number;
  readonly port: Port;
  readonly checks: ChannelChecks<Out, In>;
  /** A handler's error as data (default: its message). */
  readonly encodeError?: (error: unknown) => unknown;
  /** The other side's encoded error as an Error (default: an Error with its message). */
  readonly decodeError?: (wire: unknown) => Error;
  /** Hears of every message this side turned away, and of each of its own the other side turned away. */
  readonly onRejected?: (error: ChannelError) => void;
  /** A request without a reply after this long rejects with a 'timeout' ChannelError (default: it waits). */
  readonly timeoutMs?: number;
}

/** A reply whose buffers move to the other side instead of being copied. */
export class Transferring<T> {
  constructor(
    readonly value: T,
    readonly transfer: ArrayBuffer[],
  ) {}
}
export const transferring = <T>(value: T, transfer: ArrayBuffer[]) => new Transferring(value, transfer);

type Answer<T> = T | Transferring<T>;

export interface Channel<Out extends Messages, In extends Messages> {
  request<K extends RequestType<Out>>(type: K, ...args: Args<Payload<Out, K>>): Promise<Reply<Out, K>>;
  emit<K extends EventType<Out>>(type: K, ...args: Args<Out['events'][K]>): void;
  /** Returns how to stop listening. A handler may return a promise: the message counts as handled once it settles. */
  on<K extends EventType<In>>(type: K, handler: (payload: In['events'][K]) => unknown): () => void;
  /** The one handler of requests of `type`; what it returns (or throws) is the reply. */
  handle<K extends RequestType<In>>(
    type: K,
    handler: (payload: Payload<In, K>) => Answer<Reply<In, K>> | Promise<Answer<Reply<In, K>>>,
  ): void;
  /** Stops listening; waiting requests reject with `error` (default: a 'closed' ChannelError). */
  close(error?: Error): void;
}

const defaultEncode = (error: unknown) => ({ message: messageOf(error) });
const defaultDecode = (wire: unknown) =>
  new Error(typeof wire === 'object' && wire !== null && 'message' in wire ? String(wire.message) : String(wire));

type Table = Readonly<Record<string, (value: unknown) => boolean>>;
const checkFor = (table: object, type: string) => (hasOwn(table, type) ? (table as Table)[type] : undefined);

type Send = (body: Record<string, unknown>, transfer?: ArrayBuffer[]) => void;

/** Replies to request `id` with what `run` returns, or with its error (encoded). */
async function answer(send: Send, encodeError: (error: unknown) => unknown, id: number, run: () => unknown) {
  try {
    const result = await run();
    const transfer = result instanceof Transferring ? result.transfer : [];
    send({ kind: 'reply', id, ok: true, payload: result instanceof Transferring ? result.value : result }, transfer);
  } catch (error) {
    send({ kind: 'reply', id, ok: false, error: encodeError(error) });
  }
}

export function createChannel<Out extends Messages, In extends Messages>(
  options: ChannelOptions<Out, In>,
): Channel<Out, In> {
  const { name, version, port, checks } = options;
  const encodeError = options.encodeError ?? defaultEncode;
  const decodeError = options.decodeError ?? defaultDecode;
  const waiting = new WaitingRequests(options.timeoutMs);
  const listeners = new Map<string, Set<(payload: unknown) => unknown>>();
  const handlers = new Map<string, (payload: unknown) => unknown>();
  let closed = false;

  const send: Send = (body, transfer = []) => {
    if (!closed) port.send({ channel: name, version, ...body }, transfer);
  };
  /** Turns `data` away: tells `onRejected`, and the sender where it is of this channel and can hear it. */
  const refuse = (error: ChannelError, data: unknown) => {
    options.onRejected?.(error);
    const notice = rejectionOf(data, name, error);
    if (notice) send(notice);
  };

  const settle = (envelope: Extract<Envelope, { kind: 'reply' }>) => {
    const request = waiting.take(envelope.id);
    if (!request) return options.onRejected?.(new ChannelError('unknown-id', `a reply to no waiting request`));
    if (!envelope.ok) return request.reject(decodeError(envelope.error));
    if (checkFor(checks.replies, request.type)?.(envelope.payload)) return request.resolve(envelope.payload);
    request.reject(new ChannelError('malformed', `a malformed reply to ${JSON.stringify(request.type)}`));
  };

  const deliver = async (envelope: Extract<Envelope, { kind: 'event' | 'request' }>, data: unknown) => {
    const check = checkFor(envelope.kind === 'event' ? checks.events : checks.requests, envelope.type);
    const handler = envelope.kind === 'request' ? handlers.get(envelope.type) : undefined;
    if (!check || (envelope.kind === 'request' && !handler)) {
      return refuse(new ChannelError('unknown-type', `an unknown ${envelope.kind} ${envelope.type}`), data);
    }
    if (!check(envelope.payload)) {
      return refuse(new ChannelError('malformed', `a malformed ${envelope.type} ${envelope.kind}`), data);
    }
    if (handler && envelope.kind === 'request')
      return answer(send, encodeError, envelope.id, () => handler(envelope.payload));
    const heard = [...(listeners.get(envelope.type) ?? [])].map((listener) => listener(envelope.payload));
    await Promise.all(heard);
  };

  const receive = async (data: unknown): Promise<void> => {
    if (closed) return;
    let envelope: Envelope;
    try {
      envelope = readEnvelope(data, name, version);
    } catch (error) {
      return refuse(error as ChannelError, data);
    }
    if (envelope.kind === 'reply') settle(envelope);
    else if (envelope.kind === 'rejected') {
      const error = new ChannelError(envelope.reason, `the other side refused a message: ${envelope.message}`);
      const request = envelope.id === undefined ? undefined : waiting.take(envelope.id);
      if (request) request.reject(error);
      else options.onRejected?.(error);
    } else if (envelope.kind !== 'hello') await deliver(envelope, data);
  };

  const stop = port.listen(receive);
  send({ kind: 'hello' });

  return {
    request(type, ...[payload, transfer]) {
      if (closed) return Promise.reject(new ChannelError('closed', `the ${name} channel is closed`));
      const { id, reply } = waiting.open(type);
      send({ kind: 'request', id, type, payload }, transfer);
      return reply as Promise<Reply<Out, typeof type>>; // settled only with a reply that passed type's check
    },
    emit(type, ...[payload, transfer]) {
      send({ kind: 'event', type, payload }, transfer);
    },
    on(type, handler) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      const listener = handler as (payload: unknown) => unknown; // called only with payloads that passed type's check
      set.add(listener);
      return () => void set.delete(listener);
    },
    handle(type, handler) {
      handlers.set(type, handler as (payload: unknown) => unknown); // called only with checked payloads
    },
    close(error) {
      if (closed) return;
      closed = true;
      stop();
      waiting.rejectAll(error ?? new ChannelError('closed', `the ${name} channel was closed`));
    },
  };
}
