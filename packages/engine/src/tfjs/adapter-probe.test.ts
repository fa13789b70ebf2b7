import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter } from './adapter-probe.js';

describe('isSoftwareAdapter', () => {
  it('knows the CPU implementations of WebGL and WebGPU by their words', () => {
    // Debian Chromium with --disable-gpu (WebGL renderer) and its WebGPU adapter (vendor, architecture).
    expect(
      isSoftwareAdapter('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)'),
    ).toBe(true);
    expect(isSoftwareAdapter('google swiftshader')).toBe(true);
    expect(isSoftwareAdapter('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareAdapter('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareAdapter('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareAdapter('Apple M2')).toBe(false);
    expect(isSoftwareAdapter('intel gen-12lp')).toBe(false);
  });
});
