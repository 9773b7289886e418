#!/usr/bin/python3
"""Reference side of `npm run bench:denoise` (bench/denoise-bench.ts), with Debian's python3-skimage.

  prepare OUT_DIR   write clean + noisy test images (Gaussian noise at sigma 15, 25, 50 on 0..255, seeded,
                    clipped to [0, 1]) as raw float32 HWC files, run non-local means on each noisy image, and
                    print a JSON manifest with its PSNR, SSIM and time
  score OUT_DIR     read the denoised outputs bench/denoise-bench.ts wrote beside the noisy ones and print
                    their PSNR and SSIM (the same metric code as for non-local means)
"""
import json
import os
import sys
import time

import numpy as np
from skimage import data, img_as_float
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from skimage.restoration import denoise_nl_means, estimate_sigma

IMAGES = ["astronaut", "coffee", "chelsea", "motorcycle_left", "rocket"]
SIGMAS = [15, 25, 50]
SEED = 2024


def load(name):
    if name == "motorcycle_left":
        return img_as_float(data.stereo_motorcycle()[0])
    return img_as_float(getattr(data, name)())


def metrics(clean, out):
    return {
        "psnr": float(peak_signal_noise_ratio(clean, out, data_range=1.0)),
        "ssim": float(structural_similarity(clean, out, channel_axis=-1, data_range=1.0)),
    }


def nl_means(noisy):
    # skimage's documented recipe: h a little below the estimated sigma, fast mode, 5×5 patches, 13×13 search.
    sigma_est = float(np.mean(estimate_sigma(noisy, channel_axis=-1)))
    return denoise_nl_means(noisy, h=0.8 * sigma_est, sigma=sigma_est, fast_mode=True, patch_size=5, patch_distance=6, channel_axis=-1)


def save(path, image):
    np.ascontiguousarray(image, dtype=np.float32).tofile(path)


def prepare(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    cases = []
    for sigma in SIGMAS:
        for name in IMAGES:
            clean = load(name)
            noisy = np.clip(clean + rng.normal(0.0, sigma / 255.0, clean.shape), 0.0, 1.0)
            stem = f"{name}-s{sigma}"
            save(os.path.join(out_dir, f"{stem}.clean.f32"), clean)
            save(os.path.join(out_dir, f"{stem}.noisy.f32"), noisy)
            start = time.perf_counter()
            denoised = nl_means(noisy)
            seconds = time.perf_counter() - start
            h, w = clean.shape[:2]
            cases.append({
                "image": name, "sigma": sigma, "stem": stem, "width": w, "height": h,
                "noisy": metrics(clean, noisy), "nlm": {**metrics(clean, denoised), "seconds": seconds},
            })
    json.dump({"seed": SEED, "cases": cases}, sys.stdout)


def score(out_dir):
    manifest = json.load(sys.stdin)
    for case in manifest["cases"]:
        shape = (case["height"], case["width"], 3)
        clean = np.fromfile(os.path.join(out_dir, f"{case['stem']}.clean.f32"), dtype=np.float32).reshape(shape).astype(np.float64)
        ours = np.fromfile(os.path.join(out_dir, f"{case['stem']}.ours.f32"), dtype=np.float32).reshape(shape).astype(np.float64)
        case["ours"] = {**case.get("ours", {}), **metrics(clean, np.clip(ours, 0.0, 1.0))}
    json.dump(manifest, sys.stdout)


if __name__ == "__main__":
    {"prepare": prepare, "score": score}[sys.argv[1]](sys.argv[2])
