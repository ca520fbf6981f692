"""JupyterLab starts without asking about Jupyter news: requirements.txt installs the kit's
settings overrides into the environment, where JupyterLab reads them."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from utils.course.notebooks import KIT_ROOT

SETTINGS = Path(sys.prefix) / "share" / "jupyter" / "lab"
PLUGIN = "@jupyterlab/apputils-extension:notification"


def test_the_installed_overrides_are_the_kits():
    installed = SETTINGS / "settings" / "overrides.json"
    assert installed.is_file(), "run: python -m pip install -r requirements.txt"
    shipped = KIT_ROOT / "config" / "jupyterlab" / "overrides.json"
    assert json.loads(installed.read_text("utf-8")) == json.loads(shipped.read_text("utf-8"))


def test_jupyterlab_takes_news_and_update_checks_as_off():
    from jupyterlab_server.settings_utils import get_settings

    overrides = json.loads((SETTINGS / "settings" / "overrides.json").read_text("utf-8"))
    found, _ = get_settings(str(SETTINGS / "settings"), str(SETTINGS / "schemas"),
                            str(KIT_ROOT / "no-user-settings"), schema_name=PLUGIN,
                            overrides=overrides)
    defaults = {k: v["default"] for k, v in found["schema"]["properties"].items()}
    assert (defaults["fetchNews"], defaults["checkForUpdates"]) == ("false", False)
