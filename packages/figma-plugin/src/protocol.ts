/**
 * The messages between the plugin's sandbox (src/main.ts, Figma's document) and its UI iframe (src/ui/, the engine),
 * over @impasto/channel: the UI's requests (export, place) and events (ready, settings, notify), the sandbox's
 * events (init, selection), and the check each side applies to what it receives. Both sides import this file;
 * nothing else crosses the boundary. Bytes travel as Uint8Array (structured clone).
 *
 * Figma wraps them: the UI posts `{ pluginMessage: envelope }` to its parent, and receives
 * `{ pluginMessage: envelope }` in its message events. `figma.ui.onmessage` gets the bare envelope.
 */
import {
  type Channel,
  type ChannelChecks,
  type ChannelError,
  createChannel,
  is,
  type Port,
  shape,
} from '@impasto/channel';

export const PLUGIN_CHANNEL = 'impasto-figma';
/** Raised whenever a message's shape changes: a UI and a sandbox of different builds refuse each other. */
export const PLUGIN_PROTOCOL_VERSION = 1;

/** A layer as the UI sees it: enough to label it and to ask for it again by id. */
export interface NodeSummary {
  readonly id: string;
  readonly name: string;
  /** Figma's node type, e.g. FRAME. */
  readonly type: string;
  readonly width: number;
  readonly height: number;
}

/** What the current selection offers: nothing, something the plugin refuses (and why), or a content layer. */
export type SelectionState =
  | { readonly kind: 'empty'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  /** `style` is the other selected layer when exactly two are selected. */
  | { readonly kind: 'ready'; readonly content: NodeSummary; readonly style: NodeSummary | null };

/** Settings as plain JSON: the sandbox stores them without interpreting them; the UI sanitises what it gets back. */
export type JsonObject = { readonly [key: string]: unknown };

export type ExportRole = 'content' | 'style';

/** Stored settings and weights URL (null when none or unreadable; the build's default then). */
export interface PluginInit {
  readonly settings: JsonObject | null;
  readonly weightsUrl: string | null;
}

/** Export layer `nodeId` as PNG with its long side at most `size` px. */
export interface ExportRequest {
  readonly nodeId: string;
  readonly role: ExportRole;
  readonly size: number;
}

/** The layer as PNG, its long side within the requested size. */
export interface Exported {
  readonly role: ExportRole;
  readonly node: NodeSummary;
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Place `png` (the stylized `originalId`) beside the original. */
export interface PlaceRequest {
  readonly originalId: string;
  readonly png: Uint8Array;
}

/** The result was placed: a new rectangle `nodeId` named `name`, now selected. */
export interface Placed {
  readonly nodeId: string;
  readonly name: string;
}

/**
 * UI → sandbox. A request that fails rejects with the sandbox's words; the sandbox has already shown them with
 * figma.notify and left the document as it was.
 */
export type UiToSandbox = {
  readonly requests: {
    readonly export: { readonly payload: ExportRequest; readonly reply: Exported };
    readonly place: { readonly payload: PlaceRequest; readonly reply: Placed };
  };
  readonly events: {
    /** The UI has loaded and listens: `init` and a `selection` follow. */
    readonly ready: undefined;
    readonly 'save-settings': { readonly settings: JsonObject };
    /** Keep the weights URL the user set ('' = back to the build's default). */
    readonly 'save-weights-url': { readonly url: string };
    /** Show a message in Figma (e.g. the GPU failed). */
    readonly notify: { readonly message: string; readonly error: boolean };
  };
};

/** Sandbox → UI. */
export type SandboxToUi = {
  readonly requests: Record<never, never>;
  readonly events: {
    readonly init: PluginInit;
    readonly selection: SelectionState;
  };
};

const isJsonObject = is.record as (v: unknown) => v is JsonObject;
const isRole = is.oneOf('content', 'style');
const isNode = shape<NodeSummary>({ id: is.text, name: is.string, type: is.text, width: is.number, height: is.number });

/** What the sandbox accepts from the iframe. */
const SANDBOX_CHECKS: ChannelChecks<SandboxToUi, UiToSandbox> = {
  requests: {
    export: shape<ExportRequest>({ nodeId: is.text, role: isRole, size: (v) => is.number(v) && v >= 1 }),
    place: shape<PlaceRequest>({ originalId: is.text, png: is.bytes }),
  },
  events: {
    ready: is.nothing,
    'save-settings': shape<{ settings: JsonObject }>({ settings: isJsonObject }),
    'save-weights-url': shape<{ url: string }>({ url: (v) => is.string(v) && v.length <= 2048 }),
    notify: shape<{ message: string; error: boolean }>({ message: is.text, error: is.boolean }),
  },
  replies: {},
};

/** What the UI accepts from the sandbox. */
const UI_CHECKS: ChannelChecks<UiToSandbox, SandboxToUi> = {
  requests: {},
  events: {
    init: shape<PluginInit>({ settings: is.nullable(isJsonObject), weightsUrl: is.nullable(is.string) }),
    selection: (v): v is SelectionState =>
      is.record(v) &&
      (v.kind === 'ready'
        ? isNode(v.content) && is.nullable(isNode)(v.style)
        : is.oneOf('empty', 'invalid')(v.kind) && is.string(v.message)),
  },
  replies: {
    export: shape<Exported>({ role: isRole, node: isNode, png: is.bytes, width: is.count, height: is.count }),
    place: shape<Placed>({ nodeId: is.text, name: is.string }),
  },
};

export type SandboxChannel = Channel<SandboxToUi, UiToSandbox>;
export type UiChannel = Channel<UiToSandbox, SandboxToUi>;

/** `figma.ui` as the sandbox's port: envelopes go bare both ways. */
export interface FigmaUi {
  postMessage(message: unknown): void;
  onmessage: ((message: unknown, props: { origin: string }) => unknown) | undefined;
}

/** The sandbox's end; `onRejected` hears of what the iframe sent that is not the protocol's. */
export function connectUi(ui: FigmaUi, onRejected: (error: ChannelError) => void): SandboxChannel {
  const port: Port = {
    send: (message) => ui.postMessage(message),
    listen(receive) {
      ui.onmessage = (message) => receive(message);
      return () => {
        ui.onmessage = undefined;
      };
    },
  };
  const options = { name: PLUGIN_CHANNEL, version: PLUGIN_PROTOCOL_VERSION, port, onRejected };
  return createChannel({ ...options, checks: SANDBOX_CHECKS });
}

/** Figma's parent window, and the iframe's own window where Figma delivers the sandbox's messages. */
export interface UiWindows {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  readonly self: {
    addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
    removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  };
}

const isWrapped = shape<{ pluginMessage: unknown }>({ pluginMessage: is.record });

/**
 * The UI's end. Window messages that are not Figma's wrapping (extensions and devtools post their own) are not
 * the plugin's and are passed over; everything inside the wrapping is checked.
 */
export function connectSandbox(windows: UiWindows, onRejected?: (error: ChannelError) => void): UiChannel {
  const port: Port = {
    send: (message) => windows.parent.postMessage({ pluginMessage: message }, '*'),
    listen(receive) {
      const listener = (event: { readonly data: unknown }) => {
        if (isWrapped(event.data)) void receive(event.data.pluginMessage);
      };
      windows.self.addEventListener('message', listener);
      return () => windows.self.removeEventListener('message', listener);
    },
  };
  const options = { name: PLUGIN_CHANNEL, version: PLUGIN_PROTOCOL_VERSION, port };
  return createChannel({ ...options, checks: UI_CHECKS, ...(onRejected ? { onRejected } : {}) });
}
