import { printJson } from './context.js';
import { defaultEvalDirs, figures, formatReport, runEval } from '../services/eval/eval-service.js';

/** `minutes eval`: scores the parser over the folders (or the default ones) and prints the report. */
export async function evalCommand(dirs: string[], opts: { verbose?: boolean; json?: boolean }): Promise<void> {
  const report = await runEval(dirs.length ? dirs : defaultEvalDirs());
  if (opts.json) printJson({ figures: figures(report), ...report });
  else process.stdout.write(formatReport(report, opts.verbose));
}
