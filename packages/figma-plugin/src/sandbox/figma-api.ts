/**
 * The slice of Figma's plugin API the sandbox uses, derived from @figma/plugin-typings so the real `figma` global
 * fits it (main.ts checks that) and the test fake implements exactly this much.
 */
import type {
  BaseNode,
  ClientStorageAPI,
  Image,
  MessageEventHandler,
  NotificationHandler,
  NotificationOptions,
  RectangleNode,
  SceneNode,
  ShowUIOptions,
} from '@figma/plugin-typings/plugin-api-standalone';

type LayerKeys =
  | 'id'
  | 'name'
  | 'type'
  | 'visible'
  | 'removed'
  | 'x'
  | 'y'
  | 'width'
  | 'height'
  | 'absoluteBoundingBox'
  | 'exportAsync';

/** A selected layer: what the sandbox reads to check, describe and export it. */
export type LayerNode = Pick<SceneNode, LayerKeys>;

/** The rectangle that receives the result (a layer like any other once placed). */
export type ResultRectangle = Pick<RectangleNode, LayerKeys | 'fills' | 'resize' | 'remove'>;

/**
 * Generic in the node types because Figma's methods that take nodes back (selection, viewport) want its own node
 * types: main.ts uses SandboxFigma<SceneNode, RectangleNode>, the tests their fakes.
 */
export interface SandboxFigma<L extends LayerNode = LayerNode, R extends ResultRectangle = ResultRectangle> {
  readonly currentPage: { selection: readonly (L | R)[] };
  getNodeByIdAsync(id: string): Promise<BaseNode | L | null>;
  createImage(data: Uint8Array): Pick<Image, 'hash'>;
  /** Figma appends the new rectangle to the current page. */
  createRectangle(): R;
  notify(message: string, options?: NotificationOptions): Pick<NotificationHandler, 'cancel'>;
  readonly clientStorage: Pick<ClientStorageAPI, 'getAsync' | 'setAsync'>;
  readonly viewport: { scrollAndZoomIntoView(nodes: readonly R[]): void };
  showUI(html: string, options?: ShowUIOptions): void;
  readonly ui: {
    postMessage(message: unknown): void;
    onmessage: MessageEventHandler | undefined;
  };
  on(type: 'selectionchange', callback: () => void): void;
}
