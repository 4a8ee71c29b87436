"""The offline bundle installs into a fresh virtual environment with no index."""

from __future__ import annotations

import subprocess
import venv

from tools.wheelhouse import build_wheelhouse


def test_offline_install_from_the_bundle(tmp_path):
    bundle = build_wheelhouse(tmp_path / "wheelhouse", windows=False)
    assert (bundle / "install.bat").read_bytes().count(b"\r\n") > 3  # Windows line ends for cmd.exe
    assert any(p.name.startswith("reform_addin-") for p in (bundle / "wheels").iterdir())
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--find-links",
                    str(bundle / "wheels"), "reform-addin[excel]"], check=True)
    result = subprocess.run([str(env / "bin" / "reform"), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("reform ")
    # The installed package carries its data: the default plan loads outside the source tree.
    code = "from addin.plan.default import default_plan; print(len(default_plan().items))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == "36"
