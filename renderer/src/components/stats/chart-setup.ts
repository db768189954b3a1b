import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only the Chart.js parts the statistics view uses, so the rest is left out of the bundle.
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui, sans-serif';
Chart.defaults.animation = false;

export { Chart };

/** Colours of the measures, the same in every chart. */
export const COLOURS = {
  served: '#7a869a', impressions: '#1f5fbf', viewable: '#6a3fb5', clicks: '#d9730d', ctr: '#1e7d43', viewableRate: '#b5399b', revenue: '#0b7285', reach: '#8f6b00',
} as const;
