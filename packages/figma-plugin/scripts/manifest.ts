/** The plugin's manifest.json: made from the build settings, and checked the way Figma reads it. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { domainAllows, weightsOrigin } from '../src/network-access.js';

export { domainAllows, weightsOrigin };

export interface FigmaManifest {
  name: string;
  id: string;
  api: string;
  main: string;
  ui: string;
  editorType: string[];
  documentAccess: 'dynamic-page';
  networkAccess: { allowedDomains: string[]; devAllowedDomains?: string[]; reasoning: string };
}

/**
 * The manifest for a build whose default weights URL is `weightsUrl`; `extraDomains` are further origins a user may
 * point the weights URL setting at (e.g. their own CDN), each https (or http on localhost).
 */
export function createManifest(options: {
  weightsUrl: string;
  id: string;
  extraDomains?: readonly string[];
}): FigmaManifest {
  const origins = [options.weightsUrl, ...(options.extraDomains ?? [])].map((url) => weightsOrigin(url));
  const allowed = [...new Set(origins.map((o) => o.origin))];
  const local = [...new Set(origins.filter((o) => o.local).map((o) => o.origin))];
  return {
    name: 'Impasto',
    id: options.id,
    api: '1.0.0',
    main: 'code.js',
    ui: 'ui.html',
    editorType: ['figma'],
    documentAccess: 'dynamic-page',
    networkAccess: {
      allowedDomains: allowed,
      // A development build reads the weights from this machine; Figma also lists localhost here.
      ...(local.length > 0 ? { devAllowedDomains: local } : {}),
      reasoning: `Impasto downloads the VGG19 network weights (about 26 MB) it runs on, once per session, from ${allowed.join(' or ')}: the address set in the plugin (default ${options.weightsUrl}).`,
    },
  };
}

const EDITOR_TYPES = ['figma', 'figjam', 'dev', 'slides'];
const DOMAIN = /^(https?:\/\/|wss?:\/\/)?(\*\.)?[a-z0-9.-]+(\[[0-9a-f:]+\])?(:\d+)?(\/[^\s*]*)?$/i;

/**
 * What Figma would refuse in `manifest` (read from `dir`), as sentences; empty when it is valid. With
 * `weightsUrl`, also that the network access admits it.
 */
export function manifestProblems(manifest: unknown, dir: string, weightsUrl?: string): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return ['manifest.json is not a JSON object'];
  }
  const m = manifest as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['name', 'id', 'api', 'main']) {
    if (typeof m[key] !== 'string' || (m[key] as string).trim() === '')
      problems.push(`"${key}" must be a non-empty string`);
  }
  if (typeof m.api === 'string' && !/^\d+\.\d+\.\d+$/.test(m.api)) problems.push(`"api" must look like 1.0.0`);
  if (!Array.isArray(m.editorType) || m.editorType.length === 0) {
    problems.push('"editorType" must list at least one editor');
  } else {
    for (const t of m.editorType) if (!EDITOR_TYPES.includes(t)) problems.push(`"editorType" has unknown ${t}`);
  }
  if (m.documentAccess !== 'dynamic-page') problems.push('"documentAccess" must be "dynamic-page" for new plugins');

  const files: string[] = [];
  if (typeof m.main === 'string') files.push(m.main);
  if (typeof m.ui === 'string') files.push(m.ui);
  else if (typeof m.ui === 'object' && m.ui !== null) files.push(...Object.values(m.ui as Record<string, string>));
  else if (m.ui !== undefined) problems.push('"ui" must be a file name or a map of file names');
  for (const file of files) {
    const full = path.resolve(dir, file);
    if (!full.startsWith(path.resolve(dir) + path.sep)) problems.push(`${file} is outside the plugin folder`);
    else if (!existsSync(full) || !statSync(full).isFile() || statSync(full).size === 0)
      problems.push(`${file} is missing or empty`);
  }

  const access = m.networkAccess as Record<string, unknown> | undefined;
  const allowed = access?.allowedDomains;
  if (!Array.isArray(allowed) || allowed.length === 0 || !allowed.every((d) => typeof d === 'string')) {
    problems.push('"networkAccess.allowedDomains" must list domains (or "none")');
    return problems;
  }
  if (allowed.includes('none') && allowed.length > 1) problems.push('"none" must be the only allowed domain');
  const dev = Array.isArray(access?.devAllowedDomains) ? (access.devAllowedDomains as string[]) : [];
  for (const d of [...allowed, ...dev]) {
    if (d !== 'none' && !DOMAIN.test(d)) problems.push(`"${d}" is not a domain Figma accepts`);
  }
  if (allowed.some((d) => d !== 'none') && typeof access?.reasoning !== 'string') {
    problems.push('"networkAccess.reasoning" should say why the plugin needs the network');
  }
  if (weightsUrl) {
    const url = new URL(weightsUrl);
    if (![...allowed, ...dev].some((d) => domainAllows(d, url))) {
      problems.push(`networkAccess does not allow the weights URL ${weightsUrl}`);
    }
  }
  return problems;
}
