// The extension side may not import the engine (it runs in VS Code's extension host), so its list of backend
// settings is a copy: this holds it, and the setting's enum in package.json, to the engine's one table.
import { readFileSync } from 'node:fs';
import { BROWSER_BACKEND_CHOICES } from '@impasto/engine';
import { describe, expect, it } from 'vitest';
import { BACKEND_SETTINGS } from './protocol.js';

describe('backend settings', () => {
  it("are the engine's browser backend choices, in package.json's enum too", () => {
    expect([...BACKEND_SETTINGS]).toEqual([...BROWSER_BACKEND_CHOICES]);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const setting = manifest.contributes.configuration.properties['impasto.backend'];
    expect(setting.enum).toEqual([...BROWSER_BACKEND_CHOICES]);
    expect(setting.enumDescriptions).toHaveLength(BROWSER_BACKEND_CHOICES.length);
  });
});
