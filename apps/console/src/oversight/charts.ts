/**
 * Charts drawn on the server as SVG: no script, readable on any phone. Each
 * chart is decorative beside the table of the same figures (aria-hidden), so a
 * screen reader reads the table.
 */
export interface Bar {
  label: string;
  value: number;
}

const ROW_HEIGHT = 22;
const LABEL_WIDTH = 150;
const CHART_WIDTH = 520;

export function barChart(bars: Bar[]): { width: number; height: number; bars: object[] } {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  const room = CHART_WIDTH - LABEL_WIDTH - 50;
  return {
    width: CHART_WIDTH,
    height: bars.length * ROW_HEIGHT + 4,
    bars: bars.map((bar, index) => ({
      ...bar,
      y: index * ROW_HEIGHT + 2,
      textY: index * ROW_HEIGHT + 16,
      labelX: LABEL_WIDTH - 6,
      x: LABEL_WIDTH,
      length: Math.max(1, Math.round((bar.value / largest) * room)),
      valueX: LABEL_WIDTH + Math.round((bar.value / largest) * room) + 6,
    })),
  };
}

/** Lines over days: one polyline per series, scaled to the largest day. */
export function lineChart(days: string[], series: { name: string; values: number[] }[]) {
  const [width, height, pad] = [CHART_WIDTH, 180, 30];
  const largest = Math.max(1, ...series.flatMap((line) => line.values));
  const step = days.length > 1 ? (width - 2 * pad) / (days.length - 1) : 0;
  const point = (value: number, index: number) =>
    `${Math.round(pad + index * step)},${Math.round(height - pad - (value / largest) * (height - 2 * pad))}`;
  return {
    width,
    height,
    largest,
    first: days[0] ?? '',
    last: days[days.length - 1] ?? '',
    lines: series.map((line, index) => ({
      name: line.name,
      points: line.values.map(point).join(' '),
      dash: ['', '6 3', '2 3', '10 4'][index % 4],
      legendY: 14 + index * 14,
    })),
  };
}
