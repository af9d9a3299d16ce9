import type { RuleMetric } from './types.ts';

/** Every rule metric, in the column order of mlxtend's rule table. */
export const RULE_METRICS: readonly RuleMetric[] = [
  'antecedentSupport',
  'consequentSupport',
  'support',
  'confidence',
  'lift',
  'leverage',
  'conviction',
  'zhangsMetric',
  'jaccard',
  'certainty',
  'kulczynski',
];

/** Whether `value` names a rule metric. */
export function isRuleMetric(value: unknown): value is RuleMetric {
  return typeof value === 'string' && (RULE_METRICS as readonly string[]).includes(value);
}
