/**
 * The one message protocol between the extension (Node) and its webview (the engine), over @impasto/channel: the
 * webview's requests (ready → init, save → its outcome) and events, the extension's events, and the check each side
 * applies to what it receives. Both sides import this file, so it holds types, checks and the channel only: no
 * `vscode`, no tfjs, no DOM.
 *
 * Bytes travel as Uint8Array: with engines.vscode ≥ 1.57, VS Code transfers typed arrays to and from webviews intact.
 */

import { type ChannelChecks, is, shape } from '@impasto/channel';

export const WEBVIEW_CHANNEL = 'impasto-vscode';
/** Raised whenever a message's shape changes: an extension and a webview of different builds refuse each other. */
export const WEBVIEW_PROTOCOL_VERSION = 1;

/** The engine's BROWSER_BACKEND_CHOICES, copied: the extension host may not import the engine (backend-settings.test.ts holds them equal). */
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

/** What the webview starts from (the answer to `ready`). */
export interface WebviewInit {
  /** The image being stylized (sent as bytes, so its folder need not be a localResourceRoot). */
  readonly content: NamedBytes;
  /** Folder URLs (ending in '/') as the webview sees them: the engine worker fetches the weights itself. */
  readonly weightsUrl: string;
  readonly wasmUrl: string;
  /** Built-in style images made by the project. */
  readonly examples: readonly { readonly name: string; readonly url: string }[];
  readonly defaults: StylizeDefaults;
  /** File name Save will write, e.g. "hero.impasto.png" (shown on the button). */
  readonly saveName: string;
}

export interface SaveRequest {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface SaveOutcome {
  readonly outcome: 'saved' | 'cancelled' | 'failed';
  /** What happened, in words ("Saved hero.impasto.png", or why not). */
  readonly message: string;
}

/** Webview → extension. */
export type WebviewToHost = {
  readonly requests: {
    /** The page has loaded and listens. */
    readonly ready: { readonly payload: undefined; readonly reply: WebviewInit };
    readonly save: { readonly payload: SaveRequest; readonly reply: SaveOutcome };
  };
  readonly events: {
    /** Bytes of the weights fetched so far (VS Code shows a progress notification). */
    readonly weightsProgress: { readonly loaded: number; readonly total: number };
    readonly weightsLoaded: undefined;
    /** The user wants a style image from the workspace or disk (the extension's file dialog; `style` follows). */
    readonly pickStyle: undefined;
    /** Something failed in the webview (weights, GPU, decoding); VS Code shows it as an error message. */
    readonly error: { readonly message: string };
  };
};

/** Extension → webview. */
export type HostToWebview = {
  readonly requests: Record<never, never>;
  readonly events: {
    /** A style image the user picked through the extension's file dialog. */
    readonly style: NamedBytes;
  };
};

const isNamedBytes = shape<NamedBytes>({ name: is.string, bytes: is.bytes });

/** What the extension accepts from the webview: it does not trust the webview's messages blindly. */
export const HOST_CHECKS: ChannelChecks<HostToWebview, WebviewToHost> = {
  requests: {
    ready: is.nothing,
    save: shape<SaveRequest>({ png: is.bytes, width: is.count, height: is.count }),
  },
  events: {
    weightsProgress: shape<{ loaded: number; total: number }>({ loaded: is.count, total: is.count }),
    weightsLoaded: is.nothing,
    pickStyle: is.nothing,
    error: shape<{ message: string }>({ message: is.string }),
  },
  replies: {},
};

/** What the webview accepts from the extension. */
export const WEBVIEW_CHECKS: ChannelChecks<WebviewToHost, HostToWebview> = {
  requests: {},
  events: { style: isNamedBytes },
  replies: {
    ready: shape<WebviewInit>({
      content: isNamedBytes,
      weightsUrl: is.string,
      wasmUrl: is.string,
      examples: is.arrayOf(shape<{ name: string; url: string }>({ name: is.string, url: is.string })),
      defaults: shape<StylizeDefaults>({
        size: is.count,
        iterations: is.count,
        backend: is.oneOf(...BACKEND_SETTINGS),
      }),
      saveName: is.string,
    }),
    save: shape<SaveOutcome>({ outcome: is.oneOf('saved', 'cancelled', 'failed'), message: is.string }),
  },
};
