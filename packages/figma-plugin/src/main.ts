/** The plugin's sandbox entry (Figma's JavaScript environment: the document, no DOM, no GPU). */
import type { PluginAPI, RectangleNode, SceneNode } from '@figma/plugin-typings/plugin-api-standalone';
import { startSandbox } from './sandbox/controller.js';
import type { SandboxFigma } from './sandbox/figma-api.js';

declare const figma: PluginAPI;
/** The UI's HTML (manifest.json's "ui" file), provided by Figma. */
declare const __html__: string;

const api: SandboxFigma<SceneNode, RectangleNode> = figma;
startSandbox(api, __html__);
