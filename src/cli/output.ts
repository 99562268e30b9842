import cliProgress from 'cli-progress';

/** Prints rows as an aligned plain-text table. */
export function printTable(header: string[], rows: (string | number | null)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const r of cells) console.log(r.map((c, i) => (i === r.length - 1 ? c : (c ?? '').padEnd(widths[i]!))).join('  '));
}

/** Prints a value as JSON for machines. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A progress bar on a terminal for work of `total` units; silent when output is not a terminal. */
/**
 * A progress bar that appears once the work reports a total of more than `from` (an import whose
 * size is known only when its service has read the file); `update` takes (done, total).
 */
export function progressFrom(label: string, from: number): { update(done: number, total: number): void; stop(): void } {
  let bar: ReturnType<typeof progress> | null = null;
  return {
    update: (done, total) => {
      if (!bar && total > from) bar = progress(label, total);
      bar?.update(done);
    },
    stop: () => bar?.stop(),
  };
}

export function progress(label: string, total: number): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY || total < 200) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
