/**
 * Slicers spell durations many ways: "1d 2h 3m 4s" (Slic3r family, Bambu), "1 hour 2 minutes" and
 * "1 hours 2 minutes 3 sec" (Simplify3D), "40m:36s", plain seconds (Cura's ;TIME:6632).
 */
const UNIT_SECONDS: Record<string, number> = {
  d: 86400,
  day: 86400,
  days: 86400,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
};

/** Seconds in a duration text; null when it holds no duration. */
export function parseDuration(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+(?:\.\d+)?)\s*([a-zA-Z]+)/g;
  let total = 0;
  let found = false;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const unit = UNIT_SECONDS[m[2]!.toLowerCase()];
    if (unit === undefined) continue;
    total += Number(m[1]) * unit;
    found = true;
  }
  return found ? total : null;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d}d`);
  if (d || h) parts.push(`${h}h`);
  if (d || h || m) parts.push(`${m}m`);
  parts.push(`${sec}s`);
  return parts.join(' ');
}
