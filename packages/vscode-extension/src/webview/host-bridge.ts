/** The webview's end of the channel to the extension, over VS Code's acquireVsCodeApi, and the page's saved state. */
import { type Channel, createChannel, type Port } from '@impasto/channel';
import {
  type HostToWebview,
  WEBVIEW_CHANNEL,
  WEBVIEW_CHECKS,
  WEBVIEW_PROTOCOL_VERSION,
  type WebviewToHost,
} from '../protocol.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  /** Provided by VS Code inside webviews (and by the browser tests' stand-in); callable once per page. */
  function acquireVsCodeApi(): VsCodeApi;
}

export type HostChannel = Channel<WebviewToHost, HostToWebview>;

export interface HostBridge {
  readonly host: HostChannel;
  getState<S>(): S | undefined;
  setState(state: unknown): void;
}

/** VS Code delivers the extension's messages as the window's message events. */
function vscodePort(api: VsCodeApi): Port {
  return {
    send: (message) => api.postMessage(message),
    listen(receive) {
      const listener = (event: MessageEvent) => void receive(event.data);
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
  };
}

export function connectToHost(api: VsCodeApi = acquireVsCodeApi()): HostBridge {
  const host: HostChannel = createChannel({
    name: WEBVIEW_CHANNEL,
    version: WEBVIEW_PROTOCOL_VERSION,
    port: vscodePort(api),
    checks: WEBVIEW_CHECKS,
  });
  return {
    host,
    getState: <S>() => (api.getState() ?? undefined) as S | undefined,
    setState: (state) => api.setState(state),
  };
}
