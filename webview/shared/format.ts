// Number formatting shared by the webviews: parameter counts, FLOPs, milliseconds, tensor statistics.

/** 1234567 → `1.23M`. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Four significant digits, exponent form for very small or large values, `NaN` for null (JSON NaN). */
export function num(n: number | null): string {
  if (n === null || Number.isNaN(n)) return 'NaN';
  if (n === 0) return '0';
  const a = Math.abs(n);
  return a < 1e-3 || a >= 1e5 ? n.toExponential(3) : n.toPrecision(4);
}

export function ms(n: number): string {
  return n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
