/**
 * The one table of Impasto's own example images: ids (as the panel's test ids and the demos use them), titles (as a
 * host may show them) and file names in this folder. Names only: hosts load the files their own way (a URL, an
 * inlined copy, a path from `@impasto/examples/node`).
 */
export interface ExampleImage {
  readonly id: string;
  readonly title: string;
  /** The file in this package's folder. */
  readonly file: string;
}

/** The photo the demos and benchmarks start from, with a mask of its sky (white: sky). */
export const EXAMPLE_PHOTO = {
  id: 'landscape',
  title: 'Landscape',
  file: 'landscape.jpg',
  skyMask: 'landscape-sky-mask.png',
} as const satisfies ExampleImage & { skyMask: string };

/** The example styles, in the order hosts offer them (the first is the default style of tools and tests). */
export const EXAMPLE_STYLES = [
  { id: 'swirls', title: 'Swirls', file: 'swirls.jpg' },
  { id: 'embers', title: 'Embers', file: 'embers.jpg' },
  { id: 'waves', title: 'Waves', file: 'waves.jpg' },
] as const satisfies readonly ExampleImage[];

export type ExampleStyleId = (typeof EXAMPLE_STYLES)[number]['id'];

/** The style tools use when none is given. */
export const DEFAULT_EXAMPLE_STYLE = EXAMPLE_STYLES[0];

/** Every example file a site serves: the photo and the styles. */
export const EXAMPLE_FILES: readonly string[] = [EXAMPLE_PHOTO.file, ...EXAMPLE_STYLES.map((s) => s.file)];
