/**
 * The channel's envelopes written flat, so tests read like the protocol: a message from the webview as
 * { type, ...payload } (with `id` for a request), and what the extension sent as { type, ...payload } for an event,
 * { reply: type, id, ...payload } for a reply, { rejected: reason } for a refusal. The hello is left out.
 */
import { WEBVIEW_CHANNEL, WEBVIEW_PROTOCOL_VERSION, type WebviewToHost } from '../protocol.js';

export type Flat = { readonly type?: string; readonly [field: string]: unknown };

const REQUESTS: readonly string[] = ['ready', 'save'] satisfies (keyof WebviewToHost['requests'])[];
const stamp = { channel: WEBVIEW_CHANNEL, version: WEBVIEW_PROTOCOL_VERSION };
let nextId = 1000;

/** A flat webview message as its envelope (other data as it is). */
export function envelopeOf(message: unknown): unknown {
  if (typeof message !== 'object' || message === null || !('type' in message) || 'channel' in message) return message;
  const { type, id, ...fields } = message as { type: string; id?: unknown };
  const payload = Object.keys(fields).length > 0 ? fields : undefined;
  return REQUESTS.includes(type)
    ? { ...stamp, kind: 'request', id: id ?? nextId++, type, payload }
    : { ...stamp, kind: 'event', type, payload };
}

/** What one side sent, flat; the types of requests it was answering are looked up in `requests` (by id). */
export function flatten(envelope: unknown, requests: ReadonlyMap<unknown, string> = new Map()): Flat | undefined {
  const e = envelope as { kind: string; type?: string; id?: number; ok?: boolean; payload?: unknown; error?: unknown };
  const payload = typeof e.payload === 'object' && e.payload !== null ? e.payload : {};
  if (e.kind === 'event') return { type: e.type, ...payload };
  if (e.kind === 'request') return { type: e.type, id: e.id, ...payload };
  if (e.kind === 'reply') return { reply: requests.get(e.id), id: e.id, ...(e.ok ? payload : { error: e.error }) };
  if (e.kind === 'rejected') return { rejected: (e as { reason?: string }).reason };
  return undefined;
}
