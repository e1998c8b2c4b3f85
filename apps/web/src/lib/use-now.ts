// The present for components that show time-dependent things (late flags, "today", "for 5 min"): one clock hook
// instead of a timer in every component. It ticks every `intervalMs` while the component is mounted.
import { useEffect, useState } from 'react';

/** Epoch milliseconds now, refreshed every `intervalMs`. */
export function useNow(intervalMs: number): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}
