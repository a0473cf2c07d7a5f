import cliProgress from 'cli-progress';

/** Reports a phase of work: a bar on a terminal, plain periodic lines otherwise (logs, CI). */
export interface ProgressReporter {
  /** `detail` is shown after the counts, e.g. `1,204 records`. */
  update(phase: string, done: number, total: number, detail?: string): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5000;

/**
 * Creates the reporter that fits the output. On a TTY it draws one cli-progress bar per phase with rate and ETA;
 * elsewhere it prints `phase: done/total (rate/s, ETA s)` at most every 5 s and when a phase completes.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : plainReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  let phaseStart = 0;
  return {
    update(phase, done, total, detail = '') {
      if (phase !== current) {
        bar?.stop();
        current = phase;
        bar = new cliProgress.SingleBar(
          { stream, format: `${phase.padEnd(16)} [{bar}] {value}/{total} | {rate}/s | ETA {eta_formatted} {detail}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { rate: '0', detail });
        phaseStart = Date.now();
      }
      const elapsed = (Date.now() - phaseStart) / 1000;
      bar!.setTotal(total);
      bar!.update(done, { rate: elapsed > 0 ? (done / elapsed).toFixed(1) : '0', detail });
    },
    stop() {
      bar?.stop();
    },
  };
}

function plainReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let current = '';
  let started = 0;
  let lastPrinted = 0;
  return {
    update(phase, done, total, detail = '') {
      const now = Date.now();
      if (phase !== current) {
        current = phase;
        started = now;
        lastPrinted = 0;
      }
      if (done < total && now - lastPrinted < PLAIN_INTERVAL_MS) return;
      lastPrinted = now;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      stream.write(`${phase}: ${done}/${total} (${rate.toFixed(1)}/s, ETA ${eta} s)${detail ? ` ${detail}` : ''}\n`);
    },
    stop() {},
  };
}
