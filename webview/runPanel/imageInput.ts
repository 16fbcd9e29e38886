// Decodes an image in the webview and turns it into an [N, C, H, W] float32 tensor: resized, scaled to [0, 1], normalised per channel.
import type { RunTensor } from '../../src/core/run/runner';

export async function imageTensor(
  bytes: Uint8Array,
  mime: string,
  dims: readonly number[],
  mean: readonly number[],
  std: readonly number[],
): Promise<RunTensor> {
  if (dims.length !== 4 || (dims[1] !== 1 && dims[1] !== 3)) throw new Error(`an image can feed an input of shape [N, 1|3, H, W], not [${dims.join(', ')}]`);
  const [n, c, h, w] = dims as [number, number, number, number];
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas 2d context unavailable');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const px = ctx.getImageData(0, 0, w, h).data;
  const plane = h * w;
  const data = new Float32Array(n * c * plane);
  for (let ch = 0; ch < c; ch++) {
    const m = mean[ch] ?? mean[0] ?? 0;
    const s = std[ch] ?? std[0] ?? 1;
    for (let i = 0; i < plane; i++) {
      // grey from RGB for one channel (ITU-R BT.601 weights)
      const v = c === 1 ? (0.299 * px[i * 4]! + 0.587 * px[i * 4 + 1]! + 0.114 * px[i * 4 + 2]!) / 255 : px[i * 4 + ch]! / 255;
      data[ch * plane + i] = (v - m) / s;
    }
  }
  // every batch item sees the same picture
  for (let b = 1; b < n; b++) data.copyWithin(b * c * plane, 0, c * plane);
  return { dtype: 'float32', shape: [...dims], data };
}
