#!/usr/bin/python3
"""XGBoost's exact path-dependent TreeSHAP (predict(pred_contribs=True)) on the rows explain.mjs
hands over, single-threaded, for the side-by-side timing of benchmarks/churn/explain.mjs.

Input (stdin): JSON {XTrain, yTrain, XTest, trees, maxDepth, repeats}. Output (stdout): one JSON line.
Debian python3-xgboost 1.7.4; nthread=1 and OMP_NUM_THREADS=1 (set by explain.mjs).
"""
import json, statistics, sys, time
import numpy as np
import xgboost as xgb

args = json.load(sys.stdin)
Xtr = np.asarray(args['XTrain'], dtype=np.float64)
ytr = np.asarray(args['yTrain'], dtype=np.float64)
Xte = np.asarray(args['XTest'], dtype=np.float64)
params = {'objective': 'binary:logistic', 'max_depth': args['maxDepth'], 'eta': 0.1, 'tree_method': 'hist',
          'nthread': 1, 'seed': 0}
booster = xgb.train(params, xgb.DMatrix(Xtr, label=ytr, nthread=1), num_boost_round=args['trees'])
dtest = xgb.DMatrix(Xte, nthread=1)
booster.predict(dtest, pred_contribs=True)  # warm-up
cpu, wall = [], []
for _ in range(args['repeats']):
    c0, w0 = time.process_time(), time.perf_counter()
    phi = booster.predict(dtest, pred_contribs=True)
    cpu.append(time.process_time() - c0)
    wall.append(time.perf_counter() - w0)
margin = booster.predict(dtest, output_margin=True)
leaves = sum(t.count('leaf=') for t in booster.get_dump())
print(json.dumps({
    'cpu': statistics.median(cpu), 'wall': statistics.median(wall), 'rows': int(Xte.shape[0]),
    'leaves': leaves, 'maxAdditivityError': float(np.max(np.abs(phi.sum(axis=1) - margin))),
    'xgboost': xgb.__version__,
}))
