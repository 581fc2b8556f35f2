// How the console writes numbers, money and times.

const integer = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, maximumFractionDigits: 12 });

export const fmtInt = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : integer.format(n));
export const fmtCompact = (n: number): string => compact.format(n);
export function fmtUsd(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  // Fractions of a cent (a request's cost) in two significant digits: $0.000012, not $0.0000.
  if (n !== 0 && Math.abs(n) < 0.01) return `$${small.format(n)}`;
  return `$${n.toFixed(2)}`;
}

/** 2026-12-07 18:35:12 in the browser's time zone; — for none. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The time alone when it is today (in the browser's time zone), else the date too. */
export function fmtWhen(iso: string | null | undefined, now = new Date()): string {
  const full = fmtTime(iso);
  if (!iso) return full;
  const d = new Date(iso);
  const today = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return today ? full.slice(11) : full;
}

/** "in 4m 10s" / "3m ago". */
export function fmtRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const diff = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(diff);
  const text = abs < 60 ? `${abs}s` : abs < 3600 ? `${Math.floor(abs / 60)}m ${abs % 60}s` : abs < 86400 ? `${Math.floor(abs / 3600)}h ${Math.floor((abs % 3600) / 60)}m` : `${Math.floor(abs / 86400)}d`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** A datetime-local input's value as ISO (UTC), or undefined when empty. */
export const localToIso = (value: string): string | undefined => (value === '' ? undefined : new Date(value).toISOString());
