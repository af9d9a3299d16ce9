"""pandas peer of benchmarks/scoring/cohort.mjs: the usual cohort recipe (to_period, first-purchase
month per customer, months since acquisition, groupby nunique and sum) on n generated rows of the
same shape (2 years, one customer per 5 rows, uniform days after acquisition). Prints the median
and min of `runs` timings in ms as JSON; generation is not timed.

Usage: /usr/bin/python3 cohort_pandas.py N RUNS
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def main():
    n, runs = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(14)
    customers = max(1, round(n / 5))
    days = 730
    first = rng.integers(0, days, customers)
    c = rng.integers(0, customers, n)
    day = first[c] + np.floor(rng.random(n) * (days - first[c])).astype(np.int64)
    ms = np.datetime64('2022-01-01', 'ms') + (day * 86_400_000 + rng.integers(0, 86_400_000, n)).astype('timedelta64[ms]')
    df = pd.DataFrame({'customer': c, 'time': ms, 'amount': 5 + 95 * rng.random(n)})
    times = []
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        month = df['time'].dt.to_period('M')
        p = month.astype('int64')  # the period ordinal
        acq = p.groupby(df['customer']).transform('min')
        k = p - acq
        g = pd.DataFrame({'cohort': acq, 'k': k, 'customer': df['customer'], 'amount': df['amount']}).groupby(['cohort', 'k'])
        table = pd.DataFrame({'active': g['customer'].nunique(), 'revenue': g['amount'].sum()}).unstack('k')
        times.append((time.perf_counter() - t0) * 1000)
        assert len(table) > 0
    t = sorted(times[1:])
    print(json.dumps({'median': t[len(t) // 2], 'min': t[0]}))


if __name__ == '__main__':
    main()
