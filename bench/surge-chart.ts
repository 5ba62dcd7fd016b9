import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';

interface ChartSample {
  second: number;
  submitted: number;
  notified: number;
  lagByGroup: Record<string, number>;
}

/** One panel: a line per `series` field value, over the seconds of the run. */
function lineChart(
  title: string,
  values: object[],
  [yField, yTitle]: [string, string],
  [seriesField, seriesTitle]: [string, string | null],
) {
  return {
    title,
    width: 720,
    height: 220,
    data: { values },
    mark: { type: 'line' as const },
    encoding: {
      x: { field: 'second', type: 'quantitative' as const, title: 'seconds since the first submission' },
      y: { field: yField, type: 'quantitative' as const, title: yTitle },
      color: { field: seriesField, type: 'nominal' as const, title: seriesTitle },
    },
  };
}

/** Throughput (accepted and notified per second) above consumer lag per group, over the run, as a PNG. */
export async function renderChart(samples: readonly ChartSample[]): Promise<Buffer> {
  const throughput = samples.flatMap((sample, index) => {
    const previous = samples[index - 1] ?? { second: 0, submitted: 0, notified: 0 };
    const span = sample.second - previous.second || 1;
    return [
      {
        second: sample.second,
        series: 'accepted by intake',
        perSecond: (sample.submitted - previous.submitted) / span,
      },
      { second: sample.second, series: 'notified', perSecond: (sample.notified - previous.notified) / span },
    ];
  });
  const lag = samples.flatMap((sample) =>
    Object.entries(sample.lagByGroup).map(([group, messages]) => ({
      second: sample.second,
      group: group.slice(group.lastIndexOf('-') + 1),
      messages,
    })),
  );
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    resolve: { scale: { color: 'independent' } },
    vconcat: [
      lineChart('Referrals per second', throughput, ['perSecond', 'referrals/s'], ['series', null]),
      lineChart(
        'Consumer lag (messages not yet processed)',
        lag,
        ['messages', 'messages'],
        ['group', 'consumer'],
      ),
    ],
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  return new Resvg(svg, { font: { loadSystemFonts: true }, background: 'white' }).render().asPng();
}
