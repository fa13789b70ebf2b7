/** @impasto/ui: the stylize panel every browser host mounts; hosts differ only in how bytes come in and go out. */
export {
  friendlyError,
  mountStylizePanel,
  type PanelOptions,
  type PanelResult,
  type StylizePanel,
  type WeightsLoader,
  type WeightsSource,
} from './panel.js';
export {
  DEFAULT_PANEL_SETTINGS,
  layersFor,
  type PanelSettings,
  SIZE_CHOICES,
  sanitizeSettings,
  sizeChoicesFor,
  toStylizeOptions,
} from './settings.js';
export type { ExampleStyle } from './style-picker.js';
export { PANEL_CSS } from './styles.js';
