#!/usr/bin/python3
"""PyTorch reference of the VAE Studio convolutional VAE, for the training/decoding benchmark.

Run it with Debian's interpreter, which is where `apt-get install python3-torch` puts torch
(a pyenv `python3` earlier on PATH has no torch):

    /usr/bin/python3 bench/reference/torch_vae.py --size 64 --latent 128 --batch 32 \
        --steps 30 --warmup 5 --threads 2 --json
    /usr/bin/python3 bench/reference/torch_vae.py --network spatial --latent 512 ...   # the default network

If it is started by another interpreter that cannot import torch, it re-executes itself with
$VAE_STUDIO_TORCH_PYTHON or /usr/bin/python3.

Model (S = input size, a power of two >= 8; n = log2(S) - 2):
  encoder  images in [-1, 1], n x [Conv2d 4x4 stride 2 pad 1 -> LeakyReLU(0.2)], channels 32, 64, 128,
           256, 256, ... (S=64: 3x64x64 -> 256x4x4), flatten -> Linear -> 2*latent (mu, logvar)
  sample   z = mu + exp(0.5 * logvar) * eps
  decoder  Linear latent -> C*4*4 -> LeakyReLU(0.2) -> reshape (C = last encoder channel count),
           n x ConvTranspose2d 4x4 stride 2 pad 1, channels mirrored (S=64: 256->128->64->32->3),
           LeakyReLU(0.2) between, none after the last; mean = tanh(out) in [-1, 1];
           learned per-channel log-scale (3 values, init -2 as in the engine, clamped at min -7).
  --network spatial (the engine's default for a new project, latent 512): the encoder stops at 8x8
           (n - 1 layers; S=64: 128x8x8), 3x3 convolutions to mu and logvar, each latent/64 channels
           (the latent is that 8x8 grid), and a 3x3 convolution + LeakyReLU back to the top channel
           count; no Linear layers; the same transposed convolutions up.
  loss     per image: discretized-logistic NLL over 256 bins (PixelCNN++), summed over pixels and
           channels, + beta * KL(q(z|x) || N(0, I)) summed over latent; mean over the batch.
  optim    Adam, lr 1e-3.

Output with --json: ONE line
  {"impl":"pytorch","torch":...,"threads":...,"size":...,"images_per_sec":...,"decode_ms_1":...,
   "decode_ms_64":...,"loss_first":...,"loss_last":..., <extra context keys>}
"""

import argparse
import json
import math
import os
import statistics
import sys
import time



def _flag_from_argv(argv, flag, default):
    for i, a in enumerate(argv):
        if a == flag and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith(flag + "="):
            return a.split("=", 1)[1]
    return str(default)


# Debian's torch does its GEMMs (Linear layers, some conv gradients) in OpenBLAS
# (openblas-pthread), whose own busy-waiting thread pool ignores torch.set_num_threads() and
# defaults to one thread per core. Next to torch's OpenMP threads that oversubscribes the cores:
# measured here at S=64, --threads 2 trained at 0.65x the speed of --threads 1 with OpenBLAS at
# its default, and 1.3x faster than --threads 1 with OpenBLAS pinned to 1 thread. Pool sizes
# are read when the libraries load, so they are set here, before `import torch`.
_THREADS = _flag_from_argv(sys.argv[1:], "--threads", 2)
_BLAS_THREADS = _flag_from_argv(sys.argv[1:], "--blas-threads", 1)
os.environ["OMP_NUM_THREADS"] = _THREADS
os.environ["MKL_NUM_THREADS"] = _THREADS
os.environ["OPENBLAS_NUM_THREADS"] = _BLAS_THREADS

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - depends on the machine
    _alt = os.environ.get("VAE_STUDIO_TORCH_PYTHON", "/usr/bin/python3")
    if os.path.realpath(sys.executable) != os.path.realpath(_alt) and os.path.exists(_alt) \
            and not os.environ.get("_VAE_STUDIO_TORCH_REEXEC"):
        os.environ["_VAE_STUDIO_TORCH_REEXEC"] = "1"
        os.execv(_alt, [_alt, os.path.abspath(__file__)] + sys.argv[1:])
    sys.stderr.write(
        "torch_vae.py: cannot import torch with %s; run scripts/install-system-deps.sh and use "
        "/usr/bin/python3\n" % sys.executable)
    sys.exit(2)


NUM_BINS = 256
BIN_HALF_WIDTH = 1.0 / (NUM_BINS - 1)  # x in [-1, 1]: bins are 2/255 wide
LOG_SCALE_MIN = -7.0


def encoder_channels(size, base=32, max_ch=256):
    n = int(round(math.log2(size))) - 2
    if size < 8 or 2 ** (n + 2) != size:
        raise ValueError("size must be a power of two >= 8, got %d" % size)
    return [min(base * 2 ** i, max_ch) for i in range(n)]


SPATIAL_SIDE = 8  # the spatial network's latent grid (main/engine/ml/architecture.ts)


class ConvVAE(nn.Module):
    """network "classic" (dense bottleneck at 4x4) or "spatial" (latent = an 8x8 grid of latent/64 channels,
    3x3 convolutions out of and into it, no dense layers), as main/engine/ml/description/layers.ts builds them."""

    def __init__(self, size=64, latent=128, base=32, max_ch=256, network="classic"):
        super().__init__()
        self.size = size
        self.latent = latent
        self.network = network
        bottleneck = SPATIAL_SIDE if network == "spatial" else 4
        chans = encoder_channels(size, base, max_ch)[:int(round(math.log2(size / bottleneck)))]
        self.top_ch = chans[-1]
        self.side = bottleneck

        enc = []
        cin = 3
        for c in chans:
            enc += [nn.Conv2d(cin, c, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]
            cin = c
        self.encoder = nn.Sequential(*enc)
        if network == "spatial":
            if latent % (bottleneck * bottleneck):
                raise ValueError("the spatial latent must be a multiple of %d" % (bottleneck * bottleneck))
            self.grid_ch = latent // (bottleneck * bottleneck)
            self.enc_mu = nn.Conv2d(self.top_ch, self.grid_ch, 3, padding=1)
            self.enc_logvar = nn.Conv2d(self.top_ch, self.grid_ch, 3, padding=1)
            self.dec_in = nn.Conv2d(self.grid_ch, self.top_ch, 3, padding=1)
        else:
            self.enc_fc = nn.Linear(self.top_ch * 4 * 4, 2 * latent)
            self.dec_fc = nn.Linear(latent, self.top_ch * 4 * 4)
        dec_out = list(reversed(chans[:-1])) + [3]  # S=64: 256 -> 128 -> 64 -> 32 -> 3
        dec = []
        cin = self.top_ch
        for i, c in enumerate(dec_out):
            dec.append(nn.ConvTranspose2d(cin, c, 4, stride=2, padding=1))
            if i < len(dec_out) - 1:
                dec.append(nn.LeakyReLU(0.2))
            cin = c
        self.decoder = nn.Sequential(*dec)
        self.log_scale = nn.Parameter(torch.full((3,), -2.0))

    def encode(self, x):
        """x: images in [-1, 1] (NCHW), as the engine feeds them."""
        h = self.encoder(x)
        if self.network == "spatial":
            return self.enc_mu(h).flatten(1), self.enc_logvar(h).flatten(1)
        mu, logvar = self.enc_fc(h.flatten(1)).chunk(2, dim=1)
        return mu, logvar

    def decode(self, z):
        """Returns the logistic mean in [-1, 1] (NCHW)."""
        if self.network == "spatial":
            h = F.leaky_relu(self.dec_in(z.view(-1, self.grid_ch, self.side, self.side)), 0.2)
        else:
            h = F.leaky_relu(self.dec_fc(z), 0.2).view(-1, self.top_ch, 4, 4)
        return torch.tanh(self.decoder(h))

    def log_scales(self):
        return torch.clamp(self.log_scale, min=LOG_SCALE_MIN).view(1, 3, 1, 1)

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decode(z), mu, logvar


def discretized_logistic_log_prob(x, mean, log_scales):
    """Per-subpixel log P(x) for x in [-1, 1] on the 256-bin grid (PixelCNN++ style)."""
    centered = x - mean
    inv_stdv = torch.exp(-log_scales)
    plus_in = inv_stdv * (centered + BIN_HALF_WIDTH)
    min_in = inv_stdv * (centered - BIN_HALF_WIDTH)
    cdf_plus = torch.sigmoid(plus_in)
    cdf_min = torch.sigmoid(min_in)
    log_cdf_plus = plus_in - F.softplus(plus_in)          # log CDF at the top edge (x = -1 bin)
    log_one_minus_cdf_min = -F.softplus(min_in)            # log (1 - CDF) at the bottom edge (x = 1)
    cdf_delta = cdf_plus - cdf_min
    mid_in = inv_stdv * centered
    log_pdf_mid = mid_in - log_scales - 2.0 * F.softplus(mid_in)
    log_prob_mid = torch.where(
        cdf_delta > 1e-5,
        torch.log(torch.clamp(cdf_delta, min=1e-12)),
        log_pdf_mid - math.log((NUM_BINS - 1) / 2.0),       # pdf * bin width (2/255)
    )
    return torch.where(x < -0.999, log_cdf_plus,
                       torch.where(x > 0.999, log_one_minus_cdf_min, log_prob_mid))


def vae_loss(model, x01, beta=1.0):
    """Mean over the batch of (recon NLL + beta * KL), in nats per image; also returns parts."""
    x = x01 * 2.0 - 1.0
    mean, mu, logvar = model(x)
    recon = -discretized_logistic_log_prob(x, mean, model.log_scales()).sum(dim=(1, 2, 3))
    kl = 0.5 * (torch.exp(logvar) + mu * mu - 1.0 - logvar).sum(dim=1)
    return (recon + beta * kl).mean(), recon.mean(), kl.mean()


# ---------------------------------------------------------------------------------------------
# Data

def make_data(kind, n, size, seed):
    g = torch.Generator().manual_seed(seed)
    if kind == "random":
        u8 = torch.randint(0, 256, (n, 3, size, size), generator=g, dtype=torch.uint8)
    elif kind == "pattern":
        # Smooth two-colour sinusoidal stripes, random orientation/frequency/phase, quantised to uint8.
        ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32),
                                torch.arange(size, dtype=torch.float32), indexing="ij")
        theta = torch.rand(n, generator=g) * math.pi
        freq = (1.0 + 3.0 * torch.rand(n, generator=g)) / size
        phase = torch.rand(n, generator=g) * 2 * math.pi
        c1 = torch.rand(n, 3, generator=g)
        c2 = torch.rand(n, 3, generator=g)
        proj = xs[None] * torch.cos(theta)[:, None, None] + ys[None] * torch.sin(theta)[:, None, None]
        t = 0.5 * (1 + torch.sin(2 * math.pi * freq[:, None, None] * proj + phase[:, None, None]))
        img = c1[:, :, None, None] + (c2 - c1)[:, :, None, None] * t[:, None]
        u8 = torch.round(img.clamp(0, 1) * 255).to(torch.uint8)
    else:
        raise ValueError(kind)
    return u8.float() / 255.0


# ---------------------------------------------------------------------------------------------
# FLOP count

def forward_macs(model):
    """Per-image forward multiply-accumulates of every Conv/ConvT/Linear layer (in order)."""
    rows = []

    def hook(mod, inp, out):
        x = inp[0]
        if isinstance(mod, nn.Conv2d):
            cin, k = mod.in_channels, mod.kernel_size[0] * mod.kernel_size[1]
            macs = out.shape[1] * out.shape[2] * out.shape[3] * cin * k
            kind = "Conv2d"
        elif isinstance(mod, nn.ConvTranspose2d):
            # every input pixel scatters a Cout x k x k patch (cropped border taps included)
            k = mod.kernel_size[0] * mod.kernel_size[1]
            macs = x.shape[1] * x.shape[2] * x.shape[3] * mod.out_channels * k
            kind = "ConvT2d"
        else:
            macs = mod.in_features * mod.out_features
            kind = "Linear"
        rows.append((name_of[mod], kind, tuple(x.shape[1:]), tuple(out.shape[1:]), macs))

    name_of = {}
    handles = []
    for name, mod in model.named_modules():
        if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            name_of[mod] = name
            handles.append(mod.register_forward_hook(hook))
    with torch.no_grad():
        model(torch.zeros(1, 3, model.size, model.size))
    for h in handles:
        h.remove()
    return rows


def print_flops(model, batch, out=sys.stdout):
    rows = forward_macs(model)
    total = sum(r[4] for r in rows)
    first = rows[0][4]  # first conv needs no gradient w.r.t. its input
    out.write("%-14s %-8s %-16s %-16s %14s\n" % ("layer", "type", "in", "out", "fwd MACs"))
    for name, kind, i, o, m in rows:
        out.write("%-14s %-8s %-16s %-16s %14s\n" % (name, kind, "x".join(map(str, i)),
                                                     "x".join(map(str, o)), format(m, ",")))
    train = 3 * total - first
    out.write("forward MACs / image          : %s (%.2f MFLOP)\n" % (format(total, ","), 2 * total / 1e6))
    out.write("train MACs / image (fwd+bwd)  : %s (= 3*fwd - first-conv input grad; %.1f MFLOP)\n"
              % (format(train, ","), 2 * train / 1e6))
    out.write("train FLOP / step (batch %d)  : %.2f GFLOP\n" % (batch, 2 * train * batch / 1e9))
    return total, train


# ---------------------------------------------------------------------------------------------
# Self-test (loss normalisation and shapes); quick, no timing

def self_test():
    ok = True
    x = (torch.arange(NUM_BINS, dtype=torch.float64) / 127.5 - 1.0).view(-1, 1)
    for m in (-1.0, -0.6, 0.0, 0.37, 0.99, 1.0):
        for ls in (LOG_SCALE_MIN, -4.0, -2.0, 0.0, 1.0):
            lp = discretized_logistic_log_prob(x, torch.tensor(m, dtype=torch.float64),
                                               torch.tensor(ls, dtype=torch.float64))
            s = float(lp.exp().sum())
            # the pdf fallback (cdf_delta < 1e-5) is an approximation: allow a small slack
            if not math.isfinite(s) or abs(s - 1.0) > 2e-3:
                print("FAIL: sum P over 256 bins = %r for mean=%g log_scale=%g" % (s, m, ls))
                ok = False
    for network, latent in (("classic", 128), ("spatial", 512)):
        for size in (32, 64, 128):
            model = ConvVAE(size, latent, network=network)
            xb = torch.rand(2, 3, size, size)
            mean, mu, logvar = model(xb * 2 - 1)
            loss, _, _ = vae_loss(model, xb)
            if mean.shape != xb.shape or mu.shape != (2, latent) or not torch.isfinite(loss):
                print("FAIL: %s size %d shapes %s %s loss %s" % (network, size, tuple(mean.shape), tuple(mu.shape), loss))
                ok = False
    print("self-test %s" % ("passed" if ok else "FAILED"))
    return ok


# ---------------------------------------------------------------------------------------------

def time_decode(model, batch, reps, warmup, latent):
    z = torch.randn(batch, latent, generator=torch.Generator().manual_seed(1))
    times = []
    with torch.no_grad():
        for i in range(warmup + reps):
            t0 = time.perf_counter()
            img = (model.decode(z) + 1.0) * 0.5
            t1 = time.perf_counter()
            if i >= warmup:
                times.append((t1 - t0) * 1000.0)
    assert img.shape == (batch, 3, model.size, model.size)
    return statistics.median(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--network", choices=("classic", "spatial"), default="classic")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--latent", type=int, default=128)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5, help="untimed training steps first")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--blas-threads", type=int, default=1,
                   help="OpenBLAS pool size (Debian torch's GEMM backend); 1 avoids oversubscription")
    p.add_argument("--beta", type=float, default=1.0)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", choices=("random", "pattern"), default="random")
    p.add_argument("--pool", type=int, default=256, help="images generated up front and cycled")
    p.add_argument("--decode-reps", type=int, default=50)
    p.add_argument("--decode-warmup", type=int, default=10)
    p.add_argument("--decode-batch", type=int, default=64)
    p.add_argument("--no-decode", action="store_true", help="skip decode timing")
    p.add_argument("--log-every", type=int, default=0, help="print loss every N steps (stderr)")
    p.add_argument("--flops", action="store_true", help="print the per-layer MAC table and exit")
    p.add_argument("--self-test", action="store_true", help="check loss normalisation and shapes")
    p.add_argument("--json", action="store_true", help="print one JSON line")
    a = p.parse_args(argv)

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(a.seed)

    if a.self_test:
        return 0 if self_test() else 1

    model = ConvVAE(a.size, a.latent, network=a.network)
    if a.flops:
        print_flops(model, a.batch)
        return 0
    if a.warmup >= a.steps:
        p.error("--steps must be greater than --warmup")

    data = make_data(a.data, max(a.pool, a.batch), a.size, a.seed + 1)
    n_data = data.shape[0]
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    model.train()

    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    losses = []
    t_start = None
    cursor = 0
    for step in range(a.steps):
        if step == a.warmup:
            t_start = time.perf_counter()
        if cursor + a.batch > n_data:
            cursor = 0
        xb = data[cursor:cursor + a.batch]
        cursor += a.batch
        opt.zero_grad(set_to_none=True)
        loss, recon, kl = vae_loss(model, xb, a.beta)
        loss.backward()
        opt.step()
        lv = loss.item()  # also synchronises, so timing covers the whole step
        losses.append(lv)
        if a.log_every and (step % a.log_every == 0 or step == a.steps - 1):
            sys.stderr.write("step %5d loss %.1f recon %.1f kl %.2f bits/dim %.4f\n" % (
                step, lv, recon.item(), kl.item(), lv / (3 * a.size * a.size * math.log(2))))
    elapsed = time.perf_counter() - t_start
    timed = a.steps - a.warmup
    images_per_sec = a.batch * timed / elapsed

    model.eval()
    if a.no_decode:
        d1 = d64 = None
    else:
        d1 = time_decode(model, 1, a.decode_reps, a.decode_warmup, a.latent)
        d64 = time_decode(model, a.decode_batch, a.decode_reps, a.decode_warmup, a.latent)

    finite = all(math.isfinite(v) for v in losses)
    result = {
        "impl": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "size": a.size,
        "network": a.network,
        "images_per_sec": round(images_per_sec, 3),
        "decode_ms_1": None if d1 is None else round(d1, 4),
        "decode_ms_64": None if d64 is None else round(d64, 4),
        "loss_first": losses[0],
        "loss_last": losses[-1],
        # context (extra keys)
        "batch": a.batch,
        "latent": a.latent,
        "steps": a.steps,
        "warmup": a.warmup,
        "timed_sec": round(elapsed, 4),
        "decode_batch": a.decode_batch,
        "data": a.data,
        "python": sys.executable,
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "loadavg_1m_at_start": load_at_start,
    }
    if a.json:
        print(json.dumps(result, allow_nan=True))
    else:
        for k, v in result.items():
            print("%-15s %s" % (k, v))
    return 0 if finite else 3


if __name__ == "__main__":
    sys.exit(main())
