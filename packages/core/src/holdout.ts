import { CrmError } from './errors.ts';
import { finiteResult } from './finite.ts';
import { readOptions, type OptionBag } from './options.ts';
import { dateOption, periodClock, type Period } from './period.ts';
import { customerColumns, summarizeColumns, type CustomerColumns, type Transactions } from './summarize.ts';
import type { CustomerSummary, DateInput } from './types.ts';

/**
 * Options of {@link calibrationHoldout}.
 *
 * @example
 * ```ts
 * import type { CalibrationHoldoutOptions } from '@crm/core';
 * const options: CalibrationHoldoutOptions = { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' };
 * ```
 */
export interface CalibrationHoldoutOptions {
  /** Last moment of the calibration period (inclusive). */
  readonly calibrationEnd: DateInput;
  /** Last moment of the holdout period (inclusive); after `calibrationEnd`. */
  readonly observationEnd: DateInput;
  /** Time unit of recency, T and the holdout duration (default `'day'`). */
  readonly period?: Period;
}

/**
 * One customer of a calibration/holdout split: the calibration summary plus what the customer
 * did in the holdout period.
 *
 * @example
 * ```ts
 * import type { CalibrationHoldoutRow } from '@crm/core';
 * const row: Pick<CalibrationHoldoutRow, 'frequencyHoldout' | 'durationHoldout'> = { frequencyHoldout: 1, durationHoldout: 39 };
 * ```
 */
export interface CalibrationHoldoutRow extends CustomerSummary {
  /** Purchase periods (same-day purchases merged) in the holdout period. */
  readonly frequencyHoldout: number;
  /** Mean value per holdout purchase period (0 without holdout purchases). */
  readonly monetaryHoldout: number;
  /** Length of the holdout period in `period` units. */
  readonly durationHoldout: number;
}

/**
 * Splits transactions at `calibrationEnd` into a calibration summary (as {@link summarizeCustomers}
 * with `observationEnd = calibrationEnd`) and, per customer, the purchases of the holdout period
 * (`calibrationEnd`, `observationEnd`], as in the validation studies of the CLV literature
 * (Fader, Hardie & Lee 2005). Only customers with a purchase by `calibrationEnd` appear. Takes records or {@link TransactionColumns}. O(n).
 *
 * @throws {CrmError} `invalid_argument` when the dates are missing or out of order, or for an unknown
 * option; `invalid_input` for a row without a valid time (numbers: epoch ms from 1971 on), amount or
 * customer id (path `[row, field]`); `non_finite_result` when a customer's spend overflows.
 * @example
 * ```ts
 * import { calibrationHoldout } from '@crm/core';
 * const rows = calibrationHoldout(
 *   [
 *     { customerId: 'A', time: '1997-01-01', amount: 10 },
 *     { customerId: 'A', time: '1997-11-01', amount: 12 },
 *   ],
 *   { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', period: 'week' },
 * );
 * rows[0].frequencyHoldout; // 1
 * ```
 */
export function calibrationHoldout(
  transactions: Transactions,
  options: CalibrationHoldoutOptions,
): CalibrationHoldoutRow[] {
  const o = readRequired(options, ['calibrationEnd', 'observationEnd', 'period'], 'calibrationHoldout');
  const clock = periodClock(o.period);
  const { calEnd, obsEnd } = splitDates(o.calibrationEnd, o.observationEnd, 'observationEnd');
  const cols = customerColumns(transactions, obsEnd);
  const calibration = summarizeColumns(calibrationOnly(cols, calEnd), calEnd, clock);
  const byId = new Map(cols.ids.map((id, c) => [id, c] as const));
  const durationHoldout = (clock.tick(obsEnd) - clock.tick(calEnd)) / clock.ticksPerPeriod;
  return calibration.map((s) => {
    const c = byId.get(s.customerId)!;
    let periods = 0;
    let sum = 0;
    let lastTick = Number.NaN;
    for (let i = cols.start[c]!; i < cols.start[c + 1]!; i++) {
      const t = cols.time[i]!;
      if (t <= calEnd) continue;
      const tick = clock.tick(t);
      if (tick !== lastTick) periods++;
      lastTick = tick;
      sum += cols.amount[i]!;
      if (!Number.isFinite(sum)) finiteResult(sum, `the holdout spend of customer '${s.customerId}'`, [cols.row[i]!, 'amount']);
    }
    return { ...s, frequencyHoldout: periods, monetaryHoldout: periods > 0 ? sum / periods : 0, durationHoldout };
  });
}

/**
 * Options of {@link churnLabels}.
 *
 * @example
 * ```ts
 * import type { ChurnLabelOptions } from '@crm/core';
 * // Customers who bought in the last quarter of calibration and not in the next 90 days churned.
 * const options: ChurnLabelOptions = { calibrationEnd: '2024-03-31', holdoutEnd: '2024-06-29', activeSince: '2024-01-01' };
 * ```
 */
export interface ChurnLabelOptions {
  /** End of the calibration period: features come from before it, labels from after it. */
  readonly calibrationEnd: DateInput;
  /** End of the window in which a purchase counts as "stayed" (inclusive). */
  readonly holdoutEnd: DateInput;
  /** A customer counts as active in calibration only with a purchase in [activeSince, calibrationEnd] (default: any purchase by calibrationEnd). */
  readonly activeSince?: DateInput;
}

/**
 * A behavioural churn label for one customer: 1 when the customer made no purchase in the holdout window.
 *
 * @example
 * ```ts
 * import type { ChurnLabel } from '@crm/core';
 * const label: ChurnLabel = { customerId: 'C042', churned: 1 };
 * ```
 */
export interface ChurnLabel {
  readonly customerId: string;
  readonly churned: 0 | 1;
}

/**
 * Churn labels from behaviour, which is how real CRM data gets labels: every customer active in
 * calibration (a purchase in [`activeSince`, `calibrationEnd`]) gets `churned: 1` when they make no
 * purchase in (`calibrationEnd`, `holdoutEnd`], else 0. Customers come in the order of
 * {@link calibrationHoldout}, so labels line up with calibration summaries. Takes records or {@link TransactionColumns}. O(n).
 *
 * @throws {CrmError} `invalid_argument` when the dates are missing or out of order, or for an unknown
 * option; `invalid_input` for a row without a valid time, amount or customer id (path `[row, field]`).
 * @example
 * ```ts
 * import { churnLabels } from '@crm/core';
 * churnLabels(
 *   [
 *     { customerId: 'A', time: '1997-01-01', amount: 10 },
 *     { customerId: 'A', time: '1997-11-01', amount: 12 },
 *     { customerId: 'B', time: '1997-02-01', amount: 8 },
 *   ],
 *   { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' },
 * ); // [{ customerId: 'A', churned: 0 }, { customerId: 'B', churned: 1 }]
 * ```
 */
export function churnLabels(transactions: Transactions, options: ChurnLabelOptions): ChurnLabel[] {
  const o = readRequired(options, ['calibrationEnd', 'holdoutEnd', 'activeSince'], 'churnLabels');
  const { calEnd, obsEnd } = splitDates(o.calibrationEnd, o.holdoutEnd, 'holdoutEnd');
  const activeSince = o.activeSince === undefined ? -Infinity : dateOption(o.activeSince, 'activeSince');
  if (activeSince > calEnd) {
    throw new CrmError('invalid_argument', 'activeSince must not be after calibrationEnd', ['options', 'activeSince']);
  }
  const cols = customerColumns(transactions, obsEnd);
  const out: ChurnLabel[] = [];
  for (let c = 0; c < cols.ids.length; c++) {
    let active = false;
    let stayed = false;
    for (let i = cols.start[c]!; i < cols.start[c + 1]!; i++) {
      const t = cols.time[i]!;
      if (t <= calEnd) {
        if (t >= activeSince) active = true;
      } else stayed = true;
    }
    if (active) out.push({ customerId: cols.ids[c]!, churned: stayed ? 0 : 1 });
  }
  return out;
}

function readRequired<K extends string>(options: unknown, known: readonly K[], where: string): OptionBag<K> {
  if (options === undefined) {
    throw new CrmError('invalid_argument', `${where}: options { ${known.slice(0, 2).join(', ')} } are required`, ['options']);
  }
  return readOptions(options, known, where);
}

function splitDates(calibrationEnd: unknown, observationEnd: unknown, endName: string): { calEnd: number; obsEnd: number } {
  const calEnd = dateOption(calibrationEnd, 'calibrationEnd');
  const obsEnd = dateOption(observationEnd, endName);
  if (obsEnd <= calEnd) {
    throw new CrmError('invalid_argument', `${endName} must be after calibrationEnd`, ['options', endName]);
  }
  return { calEnd, obsEnd };
}

/** Columns restricted to calibration rows, dropping customers who start after calibrationEnd. */
function calibrationOnly(cols: CustomerColumns, calEnd: number): CustomerColumns {
  const ids: string[] = [];
  const starts: number[] = [0];
  const time: number[] = [];
  const amount: number[] = [];
  const row: number[] = [];
  for (let c = 0; c < cols.ids.length; c++) {
    const before = time.length;
    for (let i = cols.start[c]!; i < cols.start[c + 1]! && cols.time[i]! <= calEnd; i++) {
      time.push(cols.time[i]!);
      amount.push(cols.amount[i]!);
      row.push(cols.row[i]!);
    }
    if (time.length > before) {
      ids.push(cols.ids[c]!);
      starts.push(time.length);
    }
  }
  return { ids, start: Int32Array.from(starts), time: Float64Array.from(time), amount: Float64Array.from(amount), row: Int32Array.from(row) };
}
