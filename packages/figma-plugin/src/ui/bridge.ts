/** The UI's end of the protocol: typed sends, and replies matched to their request by id. */
import { type ToSandbox, type ToUi, unwrapToUi } from '../protocol.js';

type Reply = Extract<ToUi, { requestId: number }>;
/** Requests are the messages that carry a requestId; `request` fills it in. */
type RequestOf<T> = T extends { requestId: number } ? Omit<T, 'requestId'> : never;

export interface Bridge {
  send(message: ToSandbox): void;
  /** Sends an export or place request; resolves with the sandbox's reply, rejects with its `failed` message. */
  request<M extends RequestOf<ToSandbox>>(
    message: M,
  ): Promise<Exclude<Reply, { type: 'failed' }> & { type: M extends { type: 'export' } ? 'exported' : 'placed' }>;
  /** Messages that are not replies: init and selection. */
  onMessage(handler: (message: Exclude<ToUi, Reply>) => void): void;
}

/** `target` is Figma's parent window; `source` the iframe's own window, where Figma delivers messages. */
export function createBridge(target: Pick<Window, 'postMessage'>, source: Pick<Window, 'addEventListener'>): Bridge {
  let nextId = 1;
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  const handlers: ((message: Exclude<ToUi, Reply>) => void)[] = [];
  const send = (message: ToSandbox) => target.postMessage({ pluginMessage: message }, '*');

  source.addEventListener('message', (event: Event) => {
    const message = unwrapToUi((event as MessageEvent).data);
    if (!message) return;
    if ('requestId' in message) {
      const waiting = pending.get(message.requestId);
      pending.delete(message.requestId);
      if (message.type === 'failed') waiting?.reject(new Error(message.message));
      else waiting?.resolve(message);
      return;
    }
    for (const handler of handlers) handler(message);
  });

  return {
    send,
    request(message) {
      const requestId = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(requestId, { resolve: resolve as (reply: Reply) => void, reject });
        send({ ...message, requestId } as ToSandbox);
      });
    },
    onMessage: (handler) => void handlers.push(handler),
  };
}
