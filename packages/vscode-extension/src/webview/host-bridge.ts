/** The webview's side of the protocol: VS Code's acquireVsCodeApi, typed with src/protocol.ts. */
import type { HostMessage, WebviewMessage } from '../protocol.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  /** Provided by VS Code inside webviews (and by the browser tests' stand-in); callable once per page. */
  function acquireVsCodeApi(): VsCodeApi;
}

export interface HostBridge {
  post(message: WebviewMessage): void;
  /** Calls `handler` for every message from the extension; returns the unsubscribe function. */
  onMessage(handler: (message: HostMessage) => void): () => void;
  /** Resolves with the first message of `type`. */
  next<T extends HostMessage['type']>(type: T): Promise<Extract<HostMessage, { type: T }>>;
  getState<S>(): S | undefined;
  setState(state: unknown): void;
}

export function connectToHost(api: VsCodeApi = acquireVsCodeApi()): HostBridge {
  const onMessage: HostBridge['onMessage'] = (handler) => {
    const listener = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') {
        handler(data as HostMessage);
      }
    };
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  };
  return {
    post: (message) => api.postMessage(message),
    onMessage,
    next: (type) =>
      new Promise((resolve) => {
        const stop = onMessage((m) => {
          if (m.type !== type) return;
          stop();
          resolve(m as Extract<HostMessage, { type: typeof type }>);
        });
      }),
    getState: <S>() => (api.getState() ?? undefined) as S | undefined,
    setState: (state) => api.setState(state),
  };
}
