// ANSI colours for a terminal (a few SGR codes do not need a library). Whether to colour at
// all is terminal.ts's decision; these only paint.

export type Color = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';

const SGR: Readonly<Record<Color, readonly [number, number]>> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
};

export const paint = (color: Color, s: string): string => {
  const [on, off] = SGR[color];
  return `\x1b[${on}m${s}\x1b[${off}m`;
};

/** SUCCESS green, FAILED red (yellow while it will be retried), in-flight states cyan. */
export const statusColor = (status: string): Color | null => {
  if (status.startsWith('SUCCESS')) return 'green';
  if (status.startsWith('FAILED')) return /retry/.test(status) ? 'yellow' : 'red';
  if (status.startsWith('HELD')) return 'yellow';
  if (status.startsWith('PENDING') || status.startsWith('PROCESSING') || status.startsWith('REDRIVE')) return 'cyan';
  return null;
};
