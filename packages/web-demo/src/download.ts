/** Hands the result to the visitor as a PNG file. */

/** `impasto-640x480-20250101-120000.png`: the size and the local time, so several downloads do not collide. */
export function resultFileName(width: number, height: number, when = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${when.getFullYear()}${two(when.getMonth() + 1)}${two(when.getDate())}`;
  const time = `${two(when.getHours())}${two(when.getMinutes())}${two(when.getSeconds())}`;
  return `impasto-${width}x${height}-${date}-${time}.png`;
}

export function downloadPng(png: Uint8Array, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([png as BlobPart], { type: 'image/png' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its copy once the download starts; keep the URL a while for slow ones.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
