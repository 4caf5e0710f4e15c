"""Real labeled short texts shipped with corral (no download): SNIPS intents and BANKING77.

>>> df = load_snips()
>>> list(df.columns), len(df), df.label.nunique()
(['text', 'label', 'split'], 3000, 7)

Sources and licences: ``corral/datasets/README.md`` (SNIPS: CC0 1.0, Coucke et al. 2018;
BANKING77: CC BY 4.0, Casanueva et al. 2020).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

SAMPLE_SIZE = 3000


def _read(name: str) -> pd.DataFrame:
    with resources.files("corral.datasets").joinpath("data", name).open("rb") as f:
        return pd.read_csv(f, dtype={"text": "str", "label": "str", "split": "str"}, keep_default_na=False)


def _stratified(df: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    if n >= len(df):
        return df
    from sklearn.model_selection import train_test_split

    sample, _ = train_test_split(df, train_size=n, stratify=df["label"], random_state=seed)
    return sample.reset_index(drop=True)


def load_snips(full: bool = False, n: int = SAMPLE_SIZE, seed: int = 0) -> pd.DataFrame:
    """SNIPS voice-assistant queries: text, label (7 balanced intents), split (train/validation).

    By default a stratified sample of ``n`` rows (the same for the same ``seed``); ``full=True``
    returns all 14,484 rows.
    """
    df = _read("snips.csv")
    return df if full else _stratified(df, n, seed)


def load_banking77(full: bool = False, n: int = SAMPLE_SIZE, seed: int = 0) -> pd.DataFrame:
    """BANKING77 customer-service queries: text, label (77 fine-grained intents), split (train/test).

    Known to hold label errors (Ying & Thomas 2022): the example for label-quality review.
    """
    df = _read("banking77.csv")
    return df if full else _stratified(df, n, seed)


__all__ = ["load_snips", "load_banking77"]
