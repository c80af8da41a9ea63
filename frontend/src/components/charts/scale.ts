/**
 * The top of a chart's value axis: the smallest "nice" number (1, 2 or 5
 * times a power of ten) at or above the largest value, and at least 1, so
 * that the gridlines fall on round numbers and an empty chart still has an
 * axis.
 */
export function niceMax(largest: number): number {
  if (!(largest > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= largest) return step * power;
  }
  return 10 * power;
}

/** The sum of a bucket's values over the series shown. */
export function stackTotal(values: Readonly<Record<string, number>>, keys: readonly string[]): number {
  return keys.reduce((sum, k) => sum + (values[k] ?? 0), 0);
}

/** "3 completed, 1 failed" — the non-zero counts first, in series order; "none" when all are zero. */
export function describeCounts(parts: readonly { label: string; value: number }[]): string {
  const shown = parts.filter((p) => p.value > 0);
  if (shown.length === 0) return 'none';
  return shown.map((p) => `${p.value} ${p.label}`).join(', ');
}
