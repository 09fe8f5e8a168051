/** Turns a failed report into its HTTP answer: 400 for input the sender must fix, 500 otherwise. */
import type { Context } from 'hono';
import { countListedPackages } from '../../../protocol/report.ts';
import { InvalidOsNameError, InvalidReportError } from '../../../store/ingest/report-errors.ts';
import { describeUncheckedSender } from '../../access/certificate.ts';
import { PlainTextError, plainText } from '../../api-responses.ts';
import type { AppEnv } from '../../env.ts';

/**
 * Applies a report; a failure is thrown as its answer (400 for what the sender must fix, 500 with
 * the stack in the log otherwise). `prefix` is `Unable to update host 'x'`.
 */
export async function applyReport<T>(
  c: Context<AppEnv>,
  prefix: string,
  apply: () => Promise<T>,
): Promise<T> {
  try {
    return await apply();
  } catch (error) {
    if (error instanceof InvalidOsNameError) throw new PlainTextError(400, error.message);
    if (error instanceof InvalidReportError) throw new PlainTextError(400, `${prefix}: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    c.var.log.error(`${prefix}: ${error instanceof Error ? (error.stack ?? message) : message}`);
    throw new PlainTextError(500, `${prefix}: ${message}`);
  }
}

/** The log line of an applied report. */
export function logReport(
  c: Context<AppEnv>,
  what: string,
  updateType: string,
  outcome: { added: number; changed: number; removed: number; upgradable: number },
  startedAt: number,
): void {
  const ms = (performance.now() - startedAt).toFixed(1);
  c.var.log.info(
    `${what} report (${updateType}): added=${outcome.added} changed=${outcome.changed} removed=${outcome.removed} upgradable=${outcome.upgradable} in ${ms} ms${describeUncheckedSender(c)}`,
  );
}

/**
 * 400 for a report body that lists more packages than MAX_REPORT_PACKAGES, checked before the body
 * is validated (validating and diffing 300,000 items held the server for seconds); null otherwise.
 */
export function refuseTooManyPackages(
  c: Context<AppEnv>,
  prefix: string,
  body: Record<string, unknown>,
): Response | null {
  const max = c.var.config.MAX_REPORT_PACKAGES;
  const listed = countListedPackages(body);
  if (listed <= max) return null;
  return plainText(
    c,
    400,
    `${prefix}: the report lists ${listed} packages, more than MAX_REPORT_PACKAGES (${max}) allows`,
  );
}
