/** The port of a Worker, a worker's MessagePort or a MessageChannel's end, typed so each fits as it is. */
import type { Port } from './channel.js';

/** What a Worker, a MessagePort and a DedicatedWorkerGlobalScope share (typed without the DOM library). */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  /** MessagePorts deliver nothing until started. */
  start?(): void;
}

export function messagePort(endpoint: MessageEndpoint): Port {
  return {
    send: (message, transfer) => endpoint.postMessage(message, transfer),
    listen(receive) {
      const listener = (event: { readonly data: unknown }) => void receive(event.data);
      endpoint.addEventListener('message', listener);
      endpoint.start?.();
      return () => endpoint.removeEventListener('message', listener);
    },
  };
}
