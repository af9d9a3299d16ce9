// Retention on real data (docs/retention.md): CDNOW acquisition cohorts, an sBG projection of the
// pooled cohorts and the loyalty metrics of a dashboard; Telco Kaplan–Meier curves by contract with
// the log-rank test, and a Cox model with hazard ratios and its proportional-hazards check.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cohortRetention, cohortSurvivors, netPromoterScore, populationLoyalty, ShiftedBetaGeometric } from '@crm/scoring';
import { CoxPh, kaplanMeierByGroup, KaplanMeier, logRankTest, survivalFromTransactions } from '@crm/churn';
import { parseTelco } from '../telco.mjs';
import { cdnowTransactions, pct, table } from './shared.mjs';

const TELCO = new URL('../../packages/churn/test/fixtures/telco.csv.gz', import.meta.url);
const OBSERVATION_END = '1998-06-30';
/** Months of the pooled cohorts the sBG is fitted to, and the month it is projected to. */
const FIT_MONTHS = 6;
const PROJECT_MONTHS = 12;
/** Days without a purchase after which a CDNOW customer counts as churned. */
const CHURN_WINDOW_DAYS = 180;

/** A p-value as printed: 2 significant digits, exponent form below 0.001, and a bound where it underflows to 0. */
const pValue = (p) => (p === 0 ? '< 1e-300' : p < 1e-3 ? p.toExponential(1) : p.toPrecision(2));

export async function run() {
  console.log('\n## Retention: cohorts, loyalty and survival (CDNOW, Telco)');
  const transactions = cdnowTransactions();
  const cohorts = cohortRetention(transactions, { cohort: 'month', period: 'month', observationEnd: OBSERVATION_END });
  const shown = [0, 1, 2, 3, 6, 12, 15, 16, 17];
  console.log(`\nCDNOW acquisition cohorts: share buying in month k since the first purchase (· censored)`);
  console.log(
    table(cohorts.cohorts, [
      { label: 'cohort', align: 'left', format: (c) => c.label },
      { label: 'customers', format: (c) => String(c.customers) },
      ...shown.map((k) => ({ label: `m${k}`, format: (c) => (c.retention[k] === null ? '·' : pct(c.retention[k])) })),
    ]),
  );

  const survivors = cohortSurvivors(cohorts, { cohort: 'pooled', periods: PROJECT_MONTHS });
  const sbg = ShiftedBetaGeometric.fit(survivors.slice(0, FIT_MONTHS + 1));
  console.log(`\nsBG on the pooled cohorts' months 0–${FIT_MONTHS}: α ${sbg.params.alpha.toFixed(3)}, β ${sbg.params.beta.toFixed(3)}`);
  console.log(
    table([1, 3, 6, 9, 12], [
      { label: 'month', format: (t) => String(t) },
      { label: 'observed', format: (t) => (survivors[t] / survivors[0]).toFixed(3) },
      { label: 'sBG', format: (t) => sbg.survival(t).toFixed(3) },
      { label: 'renewal r(t)', format: (t) => sbg.retentionRate(t).toFixed(3) },
    ]),
  );

  const loyalty = populationLoyalty(transactions, { period: 'month', observationEnd: OBSERVATION_END });
  const periods = loyalty.overall.periods;
  console.log(
    `\nRepeat-purchase rate ${pct(loyalty.overall.repeatPurchaseRate)}, mean ${loyalty.overall.meanInterPurchaseDays.toFixed(0)} days between orders; ` +
      `month-on-month retention ${pct(periods[0].retentionRate)} (${periods[0].period}) → ${pct(periods[periods.length - 1].retentionRate)} (${periods[periods.length - 1].period})`,
  );
  const nps = netPromoterScore([10, 9, 9, 8, 7, 6, 3, 0, 10, 9, 9, 10, 4]);
  console.log(`NPS of a 13-answer survey: ${nps.nps.toFixed(1)} ± ${nps.standardError.toFixed(1)} (one standard error)`);
  const silence = KaplanMeier.fit(survivalFromTransactions(transactions, { churnWindow: CHURN_WINDOW_DAYS, observationEnd: OBSERVATION_END, unit: 'day' }));
  console.log(`Churn = ${CHURN_WINDOW_DAYS} days without a purchase: ${pct(silence.survival(365))} of customers still buying a year after their first order (Kaplan–Meier)`);

  const { records, y } = parseTelco(gunzipSync(readFileSync(TELCO)).toString('utf8'));
  const tenure = { durations: records.map((r) => r.tenure), events: y };
  const contract = records.map((r) => r.Contract);
  const byContract = kaplanMeierByGroup(tenure, contract);
  console.log(`\nTelco: ${records.length} subscribers, tenure in months; Kaplan–Meier by contract (95% log-log intervals)`);
  console.log(
    table(byContract, [
      { label: 'contract', align: 'left', format: (g) => String(g.group) },
      { label: 'subscribers', format: (g) => String(g.model.n) },
      { label: 'S(12)', format: (g) => g.model.survival(12).toFixed(3) },
      { label: 'S(24)', format: (g) => g.model.survival(24).toFixed(3) },
      { label: 'S(72)', format: (g) => g.model.survival(72).toFixed(3) },
      { label: 'median', format: (g) => { const m = g.model.median(); return `${m.time ?? '—'} [${m.lower ?? '—'}, ${m.upper ?? '—'}]`; } },
    ]),
  );
  const logRank = logRankTest(tenure, contract);
  console.log(`Log-rank test: χ² ${logRank.statistic.toFixed(1)} on ${logRank.df} df, p ${pValue(logRank.pValue)}`);

  const covariates = [
    ['MonthlyCharges', (r) => r.MonthlyCharges],
    ['SeniorCitizen', (r) => r.SeniorCitizen],
    ['OneYear', (r) => (r.Contract === 'One year' ? 1 : 0)],
    ['TwoYear', (r) => (r.Contract === 'Two year' ? 1 : 0)],
    ['FiberOptic', (r) => (r.InternetService === 'Fiber optic' ? 1 : 0)],
    ['ElectronicCheck', (r) => (r.PaymentMethod === 'Electronic check' ? 1 : 0)],
    ['PaperlessBilling', (r) => (r.PaperlessBilling === 'Yes' ? 1 : 0)],
  ];
  const cox = CoxPh.fit(records.map((r) => covariates.map(([, f]) => f(r))), tenure, { featureNames: covariates.map(([name]) => name) });
  const ph = new Map(cox.proportionalHazards.covariates.map((c) => [c.feature, c.p]));
  console.log(`\nCox proportional hazards (Efron ties): concordance ${cox.concordance.value.toFixed(3)}, likelihood-ratio χ² ${cox.tests.likelihoodRatio.statistic.toFixed(0)} on ${cox.tests.likelihoodRatio.df} df`);
  console.log(
    table(cox.summary, [
      { label: 'covariate', align: 'left', format: (s) => s.feature },
      { label: 'hazard ratio', format: (s) => s.hazardRatio.toFixed(3) },
      { label: '95% interval', format: (s) => `${s.lower.toFixed(3)}–${s.upper.toFixed(3)}` },
      { label: 'p', format: (s) => pValue(s.p) },
      { label: 'PH check p', format: (s) => pValue(ph.get(s.feature)) },
    ]),
  );
  console.log(
    `Proportional hazards (cox.zph): global p ${pValue(cox.proportionalHazards.global.p)}; the hazard ratios are averages over tenure for the covariates with a small p — compare the Kaplan–Meier curves, or fit one model per contract type`,
  );
  const customer = [[90, 0, 0, 0, 1, 1, 1]];
  console.log(`A month-to-month fibre customer paying 90 by electronic check: median tenure ${cox.medianTime(customer)[0]} months, expected ${cox.expectedTime(customer)[0].toFixed(1)} (within 72)`);
}
