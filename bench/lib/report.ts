/**
 * One row per figure: what was measured, its median and p99, the target and whether it was met.
 * Printed as a table and written as JSON with the machine it ran on, so a number can be traced back
 * to the run that produced it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Summary } from './stats';

export type Status = 'PASS' | 'FAIL' | 'INFO' | 'SKIP';

export interface Target {
  /** The median or the p99 (or a single value) must be at most `max`. */
  on: 'median' | 'p99' | 'value';
  max: number;
}

export interface Figure {
  id: string;
  figure: string;
  unit: string;
  median: number | null;
  p99: number | null;
  n: number;
  target: Target | null;
  /** How the target reads in the table, e.g. "p99 ≤ 5 ms". */
  targetText: string;
  status: Status;
  notes: string;
  /** Anything else worth keeping (raw ratios, per-run details). */
  detail?: Record<string, unknown>;
}

export interface FigureInput {
  id: string;
  figure: string;
  unit: string;
  summary?: Summary;
  /** A single number (a size, a ratio) instead of a sample. */
  value?: number;
  n?: number;
  target?: Target;
  targetText?: string;
  notes?: string;
  detail?: Record<string, unknown>;
  /** Force the status (e.g. FAIL for a broken invariant that has no numeric target). */
  status?: Status;
}

export function figure(input: FigureInput): Figure {
  const median = input.summary ? input.summary.median : (input.value ?? null);
  const p99 = input.summary ? input.summary.p99 : null;
  const n = input.n ?? input.summary?.n ?? (input.value !== undefined ? 1 : 0);
  let status: Status = input.status ?? 'INFO';
  if (input.status === undefined && input.target) {
    const measured = input.target.on === 'p99' ? p99 : median;
    status = measured === null || Number.isNaN(measured) ? 'FAIL' : measured <= input.target.max ? 'PASS' : 'FAIL';
    // A sample with nothing in it (a run too short to reach it) measured nothing: neither pass nor fail.
    if (input.summary !== undefined && n === 0) status = 'SKIP';
  }
  const out: Figure = {
    id: input.id,
    figure: input.figure,
    unit: input.unit,
    median: clean(median),
    p99: clean(p99),
    n,
    target: input.target ?? null,
    targetText: input.targetText ?? (input.target ? `${input.target.on === 'p99' ? 'p99 ' : ''}≤ ${input.target.max} ${input.unit}` : '—'),
    status,
    notes: input.summary !== undefined && n === 0 ? `no samples in this run${input.notes ? `; ${input.notes}` : ''}` : (input.notes ?? ''),
  };
  if (input.detail) out.detail = input.detail;
  return out;
}

export function skipped(id: string, name: string, why: string, targetText = '—'): Figure {
  return { id, figure: name, unit: '', median: null, p99: null, n: 0, target: null, targetText, status: 'SKIP', notes: why };
}

function clean(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.round(value * 1000) / 1000;
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

/** The table as Markdown, which reads well in a terminal and pastes into the README as it is. */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.figure, formatValue(f.median, f.unit), formatValue(f.p99, f.unit), String(f.n), f.targetText, f.status]);
  const head = ['figure', 'median', 'p99', 'n', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

export interface Environment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  loadAverage: number[];
  commit: string | null;
}

export function environment(root: string): Environment {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = null;
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    commit,
  };
}

export interface Results {
  generatedAt: string;
  mode: 'full' | 'smoke';
  durationS: number;
  environment: Environment;
  figures: Figure[];
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
