"""The background builders of conftest start at collection only when a test asks for a
fixture of the builder's own name; a builder read by ``background_result`` inside a test
body starts when that test runs, and its kernels then sit on the suite's critical path
(three did: about 8 s of a 72 s run)."""
from __future__ import annotations

import re
from pathlib import Path


TESTS = Path(__file__).parent


def test_every_background_builder_has_a_fixture_of_its_name():
    sources = "\n".join(p.read_text("utf-8") for p in sorted(TESTS.rglob("*.py")))
    builders = set(re.findall(r'@background\("(\w+)"', sources))
    assert builders, "no background builders found: has conftest.background been renamed?"
    missing = sorted(b for b in builders if not re.search(rf"^def {b}\(", sources, re.M))
    assert missing == [], f"builders without a fixture of their name: {missing}"
