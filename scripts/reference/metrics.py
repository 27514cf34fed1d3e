"""Reference figures for the evaluation metrics, computed independently of the engine with
numpy and scipy, each as its reference implementation does:

  IS      OpenAI's inception_score (Salimans et al. 2016): 10 consecutive splits, exp(mean KL), mean and std
  FID     pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm, offset only when not finite)
  KID     torch-fidelity's unbiased MMD^2 with the cubic polynomial kernel (one subset: every row)
  PR      Kynkaanniemi et al. 2019: k = 3 nearest-neighbour balls, `<=`
  DC      Naeem et al. 2020 (the prdc package): k = 5, `<`
  Parzen  Goodfellow et al.'s parzen_ll.py: sigma from logspace(-1, 0, 10) on validation rows,
          mean log-likelihood of test rows and its standard error

Inputs: tests/fixtures/eval/{real-features,fake-features,fake-probs}.npy (made by the engine's
`images features`) and, for Parzen, rows made from an integer hash (the same formula is in
tests/metrics.rs). Output: tests/fixtures/eval/reference.json, which tests/metrics.rs compares
the engine against (1e-4 relative).

Run: python3 -m venv /tmp/ref && /tmp/ref/bin/pip install numpy scipy &&
     /tmp/ref/bin/python scripts/reference/metrics.py
"""
import json
import os

import numpy as np
from scipy import linalg

HERE = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "eval")


def inception_score(preds, splits=10):
    scores = []
    n = preds.shape[0]
    for i in range(splits):
        part = preds[(i * n // splits):((i + 1) * n // splits), :]
        py = np.mean(part, axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(py)), 0.0)
        scores.append(np.exp(np.mean(np.sum(kl, 1))))
    return float(np.mean(scores)), float(np.std(scores))


def frechet(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def fid(x, y):
    x, y = x.astype(np.float64), y.astype(np.float64)
    return frechet(x.mean(0), np.cov(x, rowvar=False), y.mean(0), np.cov(y, rowvar=False))


def mmd2_unbiased(x, y):
    x, y = x.astype(np.float64), y.astype(np.float64)
    d = x.shape[1]
    m = x.shape[0]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    return float((kxx.sum() - np.diag(kxx).sum()) / (m * (m - 1))
                 + (kyy.sum() - np.diag(kyy).sum()) / (m * (m - 1))
                 - 2 * kxy.sum() / (m * m))


def pairwise(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    return np.sqrt(np.maximum(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1), 0))


def radii(x, k):
    d = pairwise(x, x)
    return np.sort(d, axis=1)[:, k]


def prdc(real, fake, k_pr=3, k_dc=5):
    rf = pairwise(real, fake)
    rr, fr = radii(real, k_pr), radii(fake, k_pr)
    precision = (rf <= rr[:, None]).any(axis=0).mean()
    recall = (rf <= fr[None, :]).any(axis=1).mean()
    rdc = radii(real, k_dc)
    density = (1.0 / k_dc) * (rf < rdc[:, None]).sum(axis=0).mean()
    coverage = (rf.min(axis=1) < rdc).mean()
    return dict(precision=float(precision), recall=float(recall),
                density=float(density), coverage=float(coverage))


def log_mean_exp(a):
    m = a.max(1)
    return m + np.log(np.exp(a - m[:, None]).mean(1))


def parzen_ll(x, mu, sigma):
    a = (x[:, None, :] - mu[None, :, :]) / sigma
    e = log_mean_exp(-0.5 * (a ** 2).sum(2))
    z = mu.shape[1] * np.log(sigma * np.sqrt(np.pi * 2))
    return e - z


def parzen(samples, valid, test):
    sigmas = np.logspace(-1, 0, 10)
    lls = [parzen_ll(valid, samples, s).mean() for s in sigmas]
    sigma = sigmas[int(np.argmax(lls))]
    ll = parzen_ll(test, samples, sigma)
    return dict(mean=float(ll.mean()), se=float(ll.std() / np.sqrt(test.shape[0])),
                sigma=float(sigma), validation=[float(v) for v in lls])


def hashed(rows, cols, salt):
    """Rows in [0, 1], about 30 % non-zero, from splitmix64 of (row, column, salt): the formula
    tests/metrics.rs repeats."""
    i = np.arange(rows, dtype=np.uint64)[:, None]
    j = np.arange(cols, dtype=np.uint64)[None, :]
    with np.errstate(over="ignore"):
        x = i * np.uint64(1000003) + j * np.uint64(7919) + np.uint64(salt) * np.uint64(1000000007)
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    v = (x >> np.uint64(40)).astype(np.float64) / float(1 << 24)
    return np.where(v < 0.7, 0.0, (v - 0.7) / 0.3).astype(np.float32).astype(np.float64)


def main():
    real = np.load(os.path.join(HERE, "real-features.npy"))
    fake = np.load(os.path.join(HERE, "fake-features.npy"))
    probs = np.load(os.path.join(HERE, "fake-probs.npy")).astype(np.float64)
    m = min(len(real), len(fake))
    out = {
        "is": inception_score(probs),
        "fid": fid(real, fake),
        "kid_all_rows": mmd2_unbiased(fake[:m], real[:m]),
        "prdc": prdc(real, fake),
        "parzen": parzen(hashed(60, 784, 1), hashed(40, 784, 2), hashed(30, 784, 3)),
    }
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(out, f, indent=1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
