/**
 * Draws Impasto's own example images (so nothing third-party ships): a landscape to stylize and three "paintings"
 * made of procedural brush strokes. Deterministic: `pnpm examples` rewrites the same files.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** The landscape's drawing; with `skyMask`, the same shapes as a mask: the sky white, everything in front black. */
function landscape(skyMask = false): string {
  const r = rng(7);
  const W = 640;
  const H = 480;
  const ridge = (base: number, amp: number, seed: number) => {
    const rr = rng(seed);
    const pts: string[] = [];
    for (let x = 0; x <= W; x += 16) {
      const y = base - amp * (0.5 + 0.5 * Math.sin(x / 90 + seed)) - rr() * amp * 0.35;
      pts.push(`${x},${y.toFixed(1)}`);
    }
    return `M0,${H} L${pts.join(' L')} L${W},${H} Z`;
  };
  const trees: string[] = [];
  for (let i = 0; i < 14; i++) {
    const x = 20 + r() * 600;
    const y = 350 + r() * 40;
    const h = 40 + r() * 50;
    trees.push(`<rect x="${x - 3}" y="${y}" width="6" height="${h * 0.3}" fill="#4a3222"/>`);
    trees.push(
      `<path d="M${x},${y - h} L${x + h * 0.3},${y + 4} L${x - h * 0.3},${y + 4} Z" fill="${pick(r, ['#1f4d2b', '#2b5e34', '#173d22'])}"/>`,
    );
  }
  if (skyMask) {
    const ground = [ridge(250, 120, 1), ridge(300, 90, 2), ridge(345, 60, 3)].map((d) => `<path d="${d}"/>`);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <rect width="${W}" height="${H}" fill="#fff"/>
  <g fill="#000">${ground.join('')}<rect y="330" width="${W}" height="${H - 330}"/>${trees.join('').replace(/fill="[^"]*"/g, '')}</g>
</svg>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3b6fb6"/><stop offset="0.6" stop-color="#9cc3e6"/><stop offset="1" stop-color="#f3d9a8"/>
    </linearGradient>
    <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#5d88b8"/><stop offset="1" stop-color="#26486e"/>
    </linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff6d0"/><stop offset="1" stop-color="#ffd36b" stop-opacity="0"/></radialGradient>
  </defs>
  <rect width="${W}" height="${H}" fill="url(#sky)"/>
  <circle cx="470" cy="120" r="90" fill="url(#sun)"/>
  <circle cx="470" cy="120" r="34" fill="#fff3c4"/>
  <path d="${ridge(250, 120, 1)}" fill="#6d7fa3"/>
  <path d="${ridge(300, 90, 2)}" fill="#4d6784"/>
  <path d="${ridge(345, 60, 3)}" fill="#3f6b46"/>
  <rect y="385" width="${W}" height="${H - 385}" fill="url(#lake)"/>
  <path d="M0,385 Q160,375 320,386 T640,384 L640,395 L0,395 Z" fill="#7da35a"/>
  <g>${trees.join('')}</g>
  <rect x="250" y="330" width="70" height="50" fill="#c9b49a"/><path d="M243,332 L285,300 L327,332 Z" fill="#8c3b2f"/>
  <rect x="278" y="352" width="14" height="28" fill="#5a3a28"/><rect x="258" y="342" width="12" height="12" fill="#f5e6a8"/>
  <path d="M330,410 q30,-4 60,0 M360,430 q40,-5 80,0 M120,420 q30,-4 60,0" stroke="#b8d3ee" stroke-width="3" fill="none" opacity="0.7"/>
</svg>`;
}

interface StrokeStyle {
  readonly seed: number;
  readonly background: string;
  readonly palette: readonly string[];
  readonly strokes: number;
  readonly width: readonly [number, number];
  readonly length: number;
  /** Direction of the flow at (x, y), in radians. */
  readonly flow: (x: number, y: number) => number;
}

function strokes(s: StrokeStyle, size = 512): string {
  const r = rng(s.seed);
  const paths: string[] = [];
  for (let i = 0; i < s.strokes; i++) {
    let x = r() * size;
    let y = r() * size;
    const pts = [`M${x.toFixed(1)},${y.toFixed(1)}`];
    const steps = 4 + Math.floor(r() * s.length);
    for (let k = 0; k < steps; k++) {
      const a = s.flow(x, y);
      x += Math.cos(a) * 8;
      y += Math.sin(a) * 8;
      pts.push(`L${x.toFixed(1)},${y.toFixed(1)}`);
    }
    const w = s.width[0] + r() * (s.width[1] - s.width[0]);
    paths.push(
      `<path d="${pts.join(' ')}" stroke="${pick(r, s.palette)}" stroke-width="${w.toFixed(1)}" stroke-linecap="round" stroke-linejoin="round" fill="none" opacity="${(0.75 + r() * 0.25).toFixed(2)}"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${s.background}"/>${paths.join('')}</svg>`;
}

/** Swirls in night blues and yellows. */
const swirls: StrokeStyle = {
  seed: 11,
  background: '#1c2f5e',
  palette: ['#f2d25c', '#e8b63a', '#2c4f9a', '#4f79c7', '#9fc1e8', '#15244a', '#f7f1d0', '#3a6b8f'],
  strokes: 2600,
  width: [3, 9],
  length: 10,
  flow: (x, y) => Math.atan2(y - 256, x - 256) + Math.PI / 2 + Math.sin(x / 60) * 0.8 + Math.cos(y / 45) * 0.6,
};

/** Short, crossing strokes in warm reds, oranges and greens. */
const embers: StrokeStyle = {
  seed: 23,
  background: '#6b1d12',
  palette: ['#e3562b', '#f29e38', '#f7d36a', '#7a2a1c', '#2f6b4f', '#a83b24', '#f4e2b8', '#1d3b2c'],
  strokes: 3200,
  width: [4, 12],
  length: 3,
  flow: (x, y) => Math.sin(x / 37) * 2 + Math.cos(y / 29) * 2,
};

/** Long horizontal waves in sea greens and foam. */
const waves: StrokeStyle = {
  seed: 31,
  background: '#0f3b45',
  palette: ['#1e6f73', '#3aa39a', '#8fd6c4', '#e8f4ea', '#0a2a33', '#2b8a8a', '#c9e7dc'],
  strokes: 2200,
  width: [2, 7],
  length: 16,
  flow: (x, y) => Math.sin(x / 40 + y / 70) * 0.9,
};

async function main() {
  const out = (name: string) => path.join(here, name);
  await writeFile(out('landscape.jpg'), await sharp(Buffer.from(landscape())).jpeg({ quality: 88 }).toBuffer());
  await writeFile(
    out('landscape-sky-mask.png'),
    await sharp(Buffer.from(landscape(true)))
      .png()
      .toBuffer(),
  );
  for (const [name, style] of [
    ['swirls', swirls],
    ['embers', embers],
    ['waves', waves],
  ] as const) {
    await writeFile(
      out(`${name}.jpg`),
      await sharp(Buffer.from(strokes(style)))
        .jpeg({ quality: 88 })
        .toBuffer(),
    );
  }
  console.log('wrote examples/landscape.jpg, landscape-sky-mask.png, swirls.jpg, embers.jpg, waves.jpg');
}

await main();
