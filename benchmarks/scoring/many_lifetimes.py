"""lifetimes 0.11.3's vectorised predictions on the data of many.mjs, timed here (median of RUNS
after a warm-up), printed as JSON {customers: {case: ms}} for many.mjs to put beside ours.

Run by many.mjs; alone: PYTHONPATH=<lifetimes + autograd source> /usr/bin/python3 many_lifetimes.py 1 10 40
lifetimes has no per-customer log-likelihood for BG/NBD and MBG/NBD (only the summed objective) and
no conditional pmf for them; those cases are left out rather than timed on something else.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

RUNS = 7
T_AHEAD = 39.0
N = 2
FIXTURES = Path(__file__).resolve().parents[2] / 'packages' / 'scoring' / 'test' / 'fixtures'


def fitter(cls, params):
    f = cls()
    f.params_ = pd.Series(params)
    return f


def median_ms(f):
    f()
    ts = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        f()
        ts.append(1000 * (time.perf_counter() - t0))
    return float(np.median(ts))


def main():
    ref = json.loads((FIXTURES / 'conditional_reference.json').read_text())
    cdnow = pd.read_csv(FIXTURES / 'cdnow_customers_summary_with_transactions.csv')
    models = {
        'BgNbd': fitter(BetaGeoFitter, ref['models']['bg-nbd']['params']),
        'ModifiedBgNbd': fitter(ModifiedBetaGeoFitter, ref['models']['modified-bg-nbd']['params']),
        'ParetoNbd': fitter(ParetoNBDFitter, ref['models']['pareto-nbd']['params']),
    }
    repeat = cdnow[cdnow.x > 0]
    gg = GammaGammaFitter().fit(repeat.x, repeat.zbar)
    out = {}
    for k in (int(a) for a in sys.argv[1:] or ['1', '10', '40']):
        d = pd.concat([cdnow] * k, ignore_index=True)
        x, tx, T, m = d.x.values.astype(float), d.t_x.values, d['T'].values, d.zbar.values
        times = {}
        for name, f in models.items():
            times[f'{name} expectedPurchases'] = median_ms(lambda: f.conditional_expected_number_of_purchases_up_to_time(T_AHEAD, x, tx, T))
            times[f'{name} probabilityAlive'] = median_ms(lambda: f.conditional_probability_alive(x, tx, T))
        p = models['ParetoNbd']
        params = p._unload_params('r', 'alpha', 's', 'beta')
        times['ParetoNbd conditionalProbabilityOfPurchases'] = median_ms(lambda: p.conditional_probability_of_n_purchases_up_to_time(N, T_AHEAD, x, tx, T))
        times['ParetoNbd logLikelihood'] = median_ms(lambda: ParetoNBDFitter._conditional_log_likelihood(params, x, tx, T))
        times['GammaGamma expectedSpend'] = median_ms(lambda: gg.conditional_expected_average_profit(pd.Series(x), pd.Series(m)))
        out[str(len(d))] = times
    print(json.dumps(out))


if __name__ == '__main__':
    main()
