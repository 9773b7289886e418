#!/usr/bin/python3
"""Trains the PyTorch reference (torch_vae.py) from the engine's own starting weights on the engine's batches, and
reports the held-out negative ELBO: the other half of bench/elbo-parity.ts, which writes the inputs, trains the
engine the same way and compares the two.

    /usr/bin/python3 bench/reference/torch_parity.py --dir DIR --threads 1 --json

DIR holds (written by elbo-parity.ts):
  spec.json   {"network", "size", "latent", "batch", "steps", "lr", "beta", "eval_draws", "log_every"}
  init.bin    the engine's weights blob (params.ts packTensors: "VAEW", manifest length, JSON manifest, float32s)
  train.u8    training images, uint8 NHWC (RGB)
  val.u8      held-out images, uint8 NHWC
  order.i32   steps x batch indices into train.u8, the engine's batch order
Noise (reparameterisation and evaluation draws) is PyTorch's own: the comparison is statistical, not bitwise.
"""

import json
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_vae as ref  # noqa: E402  (sets the thread pools before torch loads)
from torch_vae import torch  # noqa: E402


def read_blob(path):
    """The engine's packed tensors, name -> float32 tensor in the engine's layout."""
    buf = open(path, "rb").read()
    magic, length = struct.unpack_from("<II", buf, 0)
    if magic != 0x56414557:
        raise ValueError("%s is not an engine weights blob" % path)
    manifest = json.loads(buf[8:8 + length].decode("utf8"))
    offset = (8 + length + 3) // 4 * 4
    out = {}
    for entry in manifest:
        n = math.prod(entry["shape"])
        values = torch.frombuffer(bytearray(buf[offset:offset + 4 * n]), dtype=torch.float32)
        out[entry["name"]] = values.reshape(entry["shape"])
        offset += 4 * n
    return out


def load_engine_weights(model, w):
    """Copies the engine's weights in. Convolutions are [k, k, in, out] there and transposed ones [k, k, out, in]:
    both become PyTorch's order by the same permutation. Dense layers see feature maps flattened height-width-
    channel there and channel-height-width here."""
    conv = lambda t: t.permute(3, 2, 0, 1).contiguous()  # noqa: E731
    convs = [m for m in model.encoder if isinstance(m, torch.nn.Conv2d)]
    for i, m in enumerate(convs):
        m.weight.data.copy_(conv(w["enc%d.w" % i]))
        m.bias.data.copy_(w["enc%d.b" % i])
    deconvs = [m for m in model.decoder if isinstance(m, torch.nn.ConvTranspose2d)]
    for i, m in enumerate(deconvs):
        m.weight.data.copy_(conv(w["dec%d.w" % i]))
        m.bias.data.copy_(w["dec%d.b" % i])
    if model.network == "spatial":
        for name, m in (("enc.mu", model.enc_mu), ("enc.logvar", model.enc_logvar), ("dec.in", model.dec_in)):
            m.weight.data.copy_(conv(w[name + ".w"]))
            m.bias.data.copy_(w[name + ".b"])
    else:
        s, c, lat = model.side, model.top_ch, model.latent
        enc = w["enc.dense.w"].reshape(s, s, c, 2 * lat).permute(2, 0, 1, 3).reshape(c * s * s, 2 * lat)
        model.enc_fc.weight.data.copy_(enc.t())
        model.enc_fc.bias.data.copy_(w["enc.dense.b"])
        dec = w["dec.dense.w"].reshape(lat, s, s, c).permute(0, 3, 1, 2).reshape(lat, c * s * s)
        model.dec_fc.weight.data.copy_(dec.t())
        model.dec_fc.bias.data.copy_(w["dec.dense.b"].reshape(s, s, c).permute(2, 0, 1).flatten())
    model.log_scale.data.copy_(w["logscale"])


def read_images(path, size):
    raw = torch.frombuffer(bytearray(open(path, "rb").read()), dtype=torch.uint8)
    return raw.reshape(-1, size, size, 3).permute(0, 3, 1, 2).float() / 255.0


def held_out(model, val, draws, beta):
    """Mean recon NLL and KL over the held-out images and `draws` noise draws, nats per image."""
    recon = kl = 0.0
    with torch.no_grad():
        for _ in range(draws):
            for i in range(0, val.shape[0], 250):
                _, r, k = ref.vae_loss(model, val[i:i + 250], beta)
                n = min(250, val.shape[0] - i)
                recon += float(r) * n
                kl += float(k) * n
    count = draws * val.shape[0]
    return recon / count, kl / count


def main():
    args = sys.argv[1:]
    folder = args[args.index("--dir") + 1]
    spec = json.load(open(os.path.join(folder, "spec.json")))
    torch.manual_seed(spec.get("seed", 0))
    threads = int(ref._THREADS)
    torch.set_num_threads(threads)
    size, batch, steps = spec["size"], spec["batch"], spec["steps"]
    model = ref.ConvVAE(size, spec["latent"], network=spec["network"])
    load_engine_weights(model, read_blob(os.path.join(folder, "init.bin")))
    train = read_images(os.path.join(folder, "train.u8"), size)
    val = read_images(os.path.join(folder, "val.u8"), size)
    order = torch.frombuffer(bytearray(open(os.path.join(folder, "order.i32"), "rb").read()), dtype=torch.int32).long()
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    start = held_out(model, val, spec["eval_draws"], spec["beta"])
    curve, window = [], []
    for step in range(steps):
        xb = train[order[step * batch:(step + 1) * batch]]
        opt.zero_grad(set_to_none=True)
        loss, recon, kl = ref.vae_loss(model, xb, spec["beta"])
        loss.backward()
        opt.step()
        window.append(float(recon) + float(kl))
        if len(window) == spec["log_every"]:
            curve.append(sum(window) / len(window))
            window = []
    recon, kl = held_out(model, val, spec["eval_draws"], spec["beta"])
    result = {"impl": "pytorch", "torch": torch.__version__, "threads": threads, "start_elbo": sum(start),
              "recon": recon, "kl": kl, "elbo": recon + kl, "curve": curve}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
