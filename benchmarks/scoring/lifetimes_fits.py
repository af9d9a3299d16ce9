"""lifetimes 0.11.3 fits on the data of benchmarks/scoring/run.mjs, timed in the same run.

Run by run.mjs with the lifetimes and autograd sources on PYTHONPATH (Debian's numpy, scipy, pandas).
Prints one JSON object: per case, the best and median wall-clock milliseconds of `runs` fits after
one warm-up.
"""
import json
import sys
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

warnings.simplefilter("ignore")
fixtures = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
cdnow = pd.read_csv(fixtures + "/cdnow_customers_summary_with_transactions.csv")
donations = pd.read_csv(fixtures + "/donations.csv")
repeat = cdnow[cdnow.x > 0]
x, tx, T, m = cdnow["x"], cdnow["t_x"], cdnow["T"], cdnow["zbar"]

bgf = BetaGeoFitter().fit(x, tx, T)
ggf = GammaGammaFitter().fit(repeat.x, repeat.zbar)
cases = {
    "BgNbd": lambda: BetaGeoFitter().fit(x, tx, T),
    "ModifiedBgNbd": lambda: ModifiedBetaGeoFitter().fit(x, tx, T),
    "ParetoNbd": lambda: ParetoNBDFitter().fit(x, tx, T),
    "GammaGamma": lambda: GammaGammaFitter().fit(repeat.x, repeat.zbar),
    "BgBb": lambda: BetaGeoBetaBinomFitter().fit(donations.frequency, donations.recency, donations.periods, weights=donations.weights),
    "clv": lambda: ggf.customer_lifetime_value(bgf, x, tx, T, m, time=12, discount_rate=0.01, freq="W"),
}
out = {}
for name, fit in cases.items():
    fit()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fit()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    out[name] = {"best": times[0], "median": times[len(times) // 2]}
print(json.dumps(out))
