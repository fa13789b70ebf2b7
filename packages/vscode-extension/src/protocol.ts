/**
 * The one message protocol between the extension (Node) and its webview (the engine). Both sides import this file,
 * so it holds types and pure checks only: no `vscode`, no tfjs, no DOM.
 *
 * Bytes travel as Uint8Array: with engines.vscode ≥ 1.57, VS Code transfers typed arrays to and from webviews intact.
 */

export const BACKEND_SETTINGS = ['auto', 'webgpu', 'webgl', 'ort-wasm', 'cpu'] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

/** The `impasto.*` settings the webview starts from. */
export interface StylizeDefaults {
  readonly size: number;
  readonly iterations: number;
  readonly backend: BackendSetting;
}

export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Extension → webview. */
export type HostMessage =
  | {
      readonly type: 'init';
      /** The image being stylized (sent as bytes, so its folder need not be a localResourceRoot). */
      readonly content: NamedBytes;
      /** Folder URLs (ending in '/') as the webview sees them. */
      readonly weightsUrl: string;
      readonly wasmUrl: string;
      /** Built-in style images made by the project. */
      readonly examples: readonly { readonly name: string; readonly url: string }[];
      readonly defaults: StylizeDefaults;
      /** File name Save will write, e.g. "hero.impasto.png" (shown on the button). */
      readonly saveName: string;
    }
  /** A style image the user picked through the extension's file dialog. */
  | ({ readonly type: 'style' } & NamedBytes)
  | {
      readonly type: 'saveResult';
      readonly id: number;
      readonly outcome: 'saved' | 'cancelled' | 'failed';
      /** What happened, in words ("Saved hero.impasto.png", or why not). */
      readonly message: string;
    };

/** Webview → extension. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  /** Bytes of the weights fetched so far (VS Code shows a progress notification). */
  | { readonly type: 'weightsProgress'; readonly loaded: number; readonly total: number }
  | { readonly type: 'weightsLoaded' }
  /** The user wants a style image from the workspace or disk (the extension's file dialog). */
  | { readonly type: 'pickStyle' }
  | {
      readonly type: 'save';
      readonly id: number;
      readonly png: Uint8Array;
      readonly width: number;
      readonly height: number;
    }
  /** Something failed in the webview (weights, GPU, decoding); VS Code shows it as an error message. */
  | { readonly type: 'error'; readonly message: string };

export type WebviewMessageType = WebviewMessage['type'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isString = (v: unknown): v is string => typeof v === 'string';

/** Field checks per message type: the extension does not trust the webview's messages blindly. */
const CHECKS: { [K in WebviewMessageType]: (m: Record<string, unknown>) => boolean } = {
  ready: () => true,
  weightsProgress: (m) => isCount(m.loaded) && isCount(m.total),
  weightsLoaded: () => true,
  pickStyle: () => true,
  save: (m) => isCount(m.id) && m.png instanceof Uint8Array && isCount(m.width) && isCount(m.height),
  error: (m) => isString(m.message),
};

/** The message if it is a well-formed WebviewMessage, else undefined. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  if (!isObject(data) || !isString(data.type) || !Object.hasOwn(CHECKS, data.type)) return undefined;
  return CHECKS[data.type as WebviewMessageType](data) ? (data as unknown as WebviewMessage) : undefined;
}
