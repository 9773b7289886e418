#!/usr/bin/python3
"""Reference side of `npm run bench:denoise` (bench/denoise-bench.ts), with Debian's python3-skimage.

  prepare OUT_DIR A B  write clean + noisy test images as raw float32 HWC files and print a JSON manifest: Gaussian
                       noise at sigma 15, 25 and 50 on 0..255; camera-like Poisson-Gaussian noise, variance
                       A*x + B^2 on [0, 1] (bench/camera-noise.ts says which camera); and Gaussian sigma 25 that
                       bench/denoise-bench.ts then JPEG-compresses with sharp. Seeded, clipped to [0, 1].
  nlm OUT_DIR          (manifest on stdin) score each noisy image and run non-local means on it: PSNR, SSIM, time
  score OUT_DIR        (manifest on stdin) score the outputs bench/denoise-bench.ts wrote beside the noisy images,
                       one per name in case["outputs"] (the same metric code as for non-local means)
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
JPEG_SIGMA = 25
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


def read(out_dir, case, suffix):
    shape = (case["height"], case["width"], 3)
    return np.fromfile(os.path.join(out_dir, f"{case['stem']}.{suffix}.f32"), dtype=np.float32).reshape(shape).astype(np.float64)


def prepare(out_dir, a, b):
    a, b = float(a), float(b)
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(SEED)
    kinds = [("gaussian", s) for s in SIGMAS] + [("camera", None), ("jpeg", JPEG_SIGMA)]
    cases = []
    for kind, sigma in kinds:
        for name in IMAGES:
            clean = load(name)
            if kind == "camera":
                std = np.sqrt(a * clean + b * b)
                noisy = np.clip(clean + rng.normal(0.0, 1.0, clean.shape) * std, 0.0, 1.0)
                # The Gaussian-equivalent sigma of this noise on this photo: its RMS over the pixels, on 0..255.
                true_sigma = float(np.sqrt(np.mean(std * std)) * 255)
                label = "camera"
            else:
                noisy = np.clip(clean + rng.normal(0.0, sigma / 255.0, clean.shape), 0.0, 1.0)
                # After JPEG the noise left is not Gaussian of any sigma: no true sigma to set the denoiser to.
                true_sigma = float(sigma) if kind == "gaussian" else None
                label = f"σ {sigma}" if kind == "gaussian" else f"σ {sigma} + JPEG"
            stem = f"{name}-{kind}{sigma or ''}"
            save(os.path.join(out_dir, f"{stem}.clean.f32"), clean)
            save(os.path.join(out_dir, f"{stem}.noisy.f32"), noisy)
            h, w = clean.shape[:2]
            cases.append({"image": name, "kind": kind, "label": label, "sigma": true_sigma, "stem": stem, "width": w, "height": h})
    json.dump({"seed": SEED, "camera": {"a": a, "b": b}, "cases": cases}, sys.stdout)


def nlm(out_dir):
    manifest = json.load(sys.stdin)
    for case in manifest["cases"]:
        clean, noisy = read(out_dir, case, "clean"), read(out_dir, case, "noisy")
        start = time.perf_counter()
        denoised = nl_means(noisy)
        seconds = time.perf_counter() - start
        case["noisy"] = metrics(clean, noisy)
        case["nlm"] = {**metrics(clean, denoised), "seconds": seconds}
    json.dump(manifest, sys.stdout)


def score(out_dir):
    manifest = json.load(sys.stdin)
    for case in manifest["cases"]:
        clean = read(out_dir, case, "clean")
        for name in case["outputs"]:
            case[name] = {**case.get(name, {}), **metrics(clean, np.clip(read(out_dir, case, name), 0.0, 1.0))}
    json.dump(manifest, sys.stdout)


if __name__ == "__main__":
    {"prepare": prepare, "nlm": nlm, "score": score}[sys.argv[1]](*sys.argv[2:])
