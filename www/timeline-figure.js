/**
 * Draws a timeline (timeline.js) as an inline SVG in a figure. The caption
 * is the text equivalent: the state in a sentence, shown, and a line per
 * time claim for screen readers; the picture itself is hidden from them,
 * since the caption says all it shows. Colours come from the stylesheet
 * (the page's CSP allows no inline style).
 */

import { el, svgEl } from './dom.js';

const WIDTH = 480;
/** Room either side of the axis for a label centred on the first or last mark. */
const MARGIN = 36;
const AXIS_Y = 30;
const LABEL_Y = 60;
const ROW_HEIGHT = 16;

const px = (x) => Math.round((MARGIN + x * (WIDTH - 2 * MARGIN)) * 10) / 10;

/** A span of the axis as a bar: the lifetime, the maxTokenAge window, or the clock tolerance around now. */
const BARS = {
  lifetime: { y: 24, height: 12 },
  'max-age': { y: 38, height: 6 },
  tolerance: { y: 16, height: 30 },
};

function bar({ kind, x1, x2 }) {
  const { y, height } = BARS[kind];
  return svgEl('rect', { class: `tl-${kind}`, x: px(x1), y, width: Math.max(px(x2) - px(x1), 2), height, 'data-kind': kind });
}

function mark({ names, x, row }) {
  const y = LABEL_Y + row * ROW_HEIGHT;
  return svgEl('g', { class: 'tl-mark', 'data-names': names.join(' ') }, [
    svgEl('line', { class: 'tl-tick', x1: px(x), x2: px(x), y1: 18, y2: y - 12 }),
    svgEl('text', { class: 'tl-label', x: px(x), y, 'text-anchor': 'middle' }, [names.join(', ')]),
  ]);
}

/**
 * The figure for `model`, a timeline() result.
 * @param {NonNullable<ReturnType<typeof import('./timeline.js').timeline>>} model
 */
export function timelineFigure(model) {
  const rows = Math.max(1, ...model.marks.map((m) => m.row + 1));
  const height = LABEL_Y + (rows - 1) * ROW_HEIGHT + 6;
  const nowX = px(model.now.x);
  const svg = svgEl('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'timeline-svg', 'aria-hidden': 'true', focusable: 'false' }, [
    svgEl('line', { class: 'tl-axis', x1: MARGIN / 2, x2: WIDTH - MARGIN / 2, y1: AXIS_Y, y2: AXIS_Y }),
    ...model.spans.map(bar),
    ...model.marks.map(mark),
    svgEl('g', { class: 'tl-now' }, [
      svgEl('line', { x1: nowX, x2: nowX, y1: 14, y2: 48 }),
      svgEl('text', { x: nowX, y: 11, 'text-anchor': 'middle' }, ['now']),
    ]),
  ]);
  return el('figure', { class: `timeline state-${model.state}`, id: 'timeline', 'data-state': model.state }, [
    svg,
    el('figcaption', {}, [
      el('p', { id: 'timeline-summary', class: 'timeline-summary' }, [model.summary]),
      el('ul', { class: 'visually-hidden' }, model.lines.map((line) => el('li', {}, [line]))),
    ]),
  ]);
}
