// Human-readable durations for status displays ("3 d 4 h", "12 min"): two units at most, because an operator
// glancing at a monitor needs the order of magnitude, not the seconds.

/** Formats a non-negative number of seconds with its two largest non-zero units. */
export function formatDuration(totalSec: number): string {
  if (!Number.isFinite(totalSec) || totalSec < 0) return '—';
  const seconds = Math.floor(totalSec);
  if (seconds < 60) return `${seconds} s`;
  const units: [label: string, sizeSec: number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [label, sizeSec] of units) {
    const count = Math.floor(rest / sizeSec);
    rest -= count * sizeSec;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${label}`);
    if (parts.length === 2) break;
  }
  return parts.filter((part) => !part.startsWith('0 ')).join(' ');
}
