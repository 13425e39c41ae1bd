import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, PointElement, ScatterController, Tooltip, Legend);
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';

/** Text and grid lines follow the theme (light or dark), read from the page's CSS variables. */
function applyTheme(): void {
  const style = getComputedStyle(document.documentElement);
  Chart.defaults.color = style.getPropertyValue('--muted').trim() || '#5b5f6a';
  Chart.defaults.borderColor = style.getPropertyValue('--border').trim() || '#d9dbe0';
}

/** A Svelte action: draws a chart.js chart on a canvas and redraws it when the config changes. */
export function chart(canvas: HTMLCanvasElement, config: ChartConfiguration) {
  applyTheme();
  let instance = new Chart(canvas, config);
  return {
    update(next: ChartConfiguration) {
      applyTheme();
      instance.destroy();
      instance = new Chart(canvas, next);
    },
    destroy() {
      instance.destroy();
    },
  };
}

/** Colours that read in light and dark themes and for colour-blind readers (blue/orange). */
export const COLOURS = { accent: '#2f5bd3', lenient: '#2c5aa0', severe: '#b35806', neutral: '#8a8f99', others: '#c7cbd3' } as const;

/** One row per label: an interval drawn as a bar, its estimate as a point, and an optional second point. */
export interface IntervalRow {
  label: string;
  estimate: number;
  ci95: [number, number];
  second?: number;
  colour?: string;
}
