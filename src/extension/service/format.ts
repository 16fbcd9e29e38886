// Short human formats for counts shown in hovers, CodeLens and the status bar (1.2M params, 3.4 GFLOPs).

/** 1234 → 1.23K, 1234567 → 1.23M; exact below 1000. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) return `${trim(n / size)}${unit}`;
  }
  return String(n);
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function formatFlops(n: number): string {
  // `24.1 GFLOPs`: the unit prefix belongs to FLOPs, not to the number.
  const [, num, unit] = /^(.*?)([KMGT]?)$/.exec(formatCount(n))!;
  return `${num} ${unit}FLOPs`;
}

/** Element counts with thousands separators, so 4,194,304 reads at a glance. */
export function formatElements(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
