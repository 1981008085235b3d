""""Did you mean" for mistyped names (schedulers, pipeline classes): names close by edit distance, compared without
case and without the suffix every candidate shares, so "NoSuchScheduler" is not "close" to "DDIMScheduler" merely
because both end in "Scheduler"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def _stem(name: str, suffix: str) -> str:
    low = name.lower()
    suffix = suffix.lower()
    return low[: -len(suffix)] if suffix and low.endswith(suffix) and len(low) > len(suffix) else low


def close_names(name: str, names: Iterable[str], n: int = 3, suffix: str = "") -> list[str]:
    """Up to `n` of `names` that `name` was probably meant to be, best first: the same name but for case or suffix;
    else names it starts (3 letters or more), then names within edit distance (difflib's ratio 0.6 or more, on
    stems without `suffix`)."""
    by_stem: dict[str, list[str]] = {}
    for candidate in sorted(set(names)):
        by_stem.setdefault(_stem(candidate, suffix), []).append(candidate)
    typed = _stem(name, suffix)
    if typed in by_stem:  # only the case or the suffix differs
        return by_stem[typed][:n]
    found = [s for s in by_stem if len(typed) >= 3 and s.startswith(typed)]
    found += [s for s in difflib.get_close_matches(typed, list(by_stem), n=n, cutoff=0.6) if s not in found]
    return [c for s in found for c in by_stem[s]][:n]


def did_you_mean(name: str, names: Iterable[str], n: int = 3, suffix: str = "") -> str:
    """' Did you mean A or B?' for the close names, or '' when none is close."""
    close = close_names(name, names, n=n, suffix=suffix)
    return f" Did you mean {' or '.join(close)}?" if close else ""
