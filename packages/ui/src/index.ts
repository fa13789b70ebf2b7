/** @impasto/ui: the stylize panel every browser host mounts; hosts differ only in how bytes come in and go out. */
export {
  createPanelController,
  type EngineStarter,
  type EngineState,
  type ExampleStyle,
  type MessageKind,
  type PanelController,
  type PanelControllerOptions,
  type PanelEvent,
  type PanelEventOf,
  type PanelEventType,
  type PanelResult,
  type PanelState,
  type PanelStyle,
  type RunPhase,
  type RunState,
  type WeightsLoader,
  type WeightsSource,
} from './controller.js';
export { friendlyError } from './friendly-error.js';
export { mountStylizePanel, type PanelOptions, type StylizePanel } from './panel.js';
export { backendText, progressValue, statusText } from './panel-text.js';
export {
  DEFAULT_PANEL_SETTINGS,
  layersFor,
  type PanelSettings,
  SIZE_CHOICES,
  sanitizeSettings,
  sizeChoicesFor,
  toStylizeOptions,
} from './settings.js';
export { PANEL_CSS } from './styles.js';
