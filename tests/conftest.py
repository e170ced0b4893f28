from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip("shared/seeds is not present")
    return SEEDS


def seed_text(name_prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds is not present")
    for p in SEEDS.glob(f"{name_prefix}*.txt"):
        return p.read_text(encoding="utf-8")
    pytest.skip(f"seed {name_prefix} is not present")


@pytest.fixture(autouse=True, scope="session")
def _no_user_knowledge_updates(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the knowledge updates of the person running them."""
    import os

    os.environ["FAZHI_DATA_DIR"] = str(tmp_path_factory.mktemp("fazhi-data"))
