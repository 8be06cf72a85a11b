"""Write small PEEL reports of the shipped layouts for a made-up force, and their manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.layouts import layout as layout_of

FORCE = "Borsetshire Constabulary"

REPORT_2025 = f"""

PEEL 2025–27

An inspection of {FORCE}

Contents

Overall summary\t1
Responding to the public\t3

Overall summary

Our judgments

Outstanding\tGood\tAdequate\tRequires improvement\tInadequate
\tCustody\tResponding to the public\t\tManaging fraud

HM Inspector's summary

The constabulary has work to do.

Jane Q Example CBE

His Majesty's Inspector of Constabulary

Responding to the public

Adequate

{FORCE} is adequate at responding to the public.

Area for improvement

Call handlers should record [caller vulnerability](#) consistently

We found vulnerability was recorded in 30 of 45 calls.

Main findings

In this section, we set out our main findings.

The constabulary answers 999 calls promptly

It answered 91.2 percent of 999 calls within 10 seconds.

Managing fraud

Inadequate

{FORCE} is inadequate at managing fraud.

Cause of concern

Victims of fraud do not get a consistent service

We found inconsistent advice.

Recommendations

Within three months, {FORCE} should:

- publish a fraud policy;
- train its call handlers; and
- review open fraud cases.

Providing a safe and lawful custody environment

Good

{FORCE} is good at providing a safe and lawful custody environment.

Main findings

Detainees are treated with dignity

Custody suites were clean.

March 2027 | © HMICFRS 2027
"""

REPORT_2023 = f"""Overall summary
PEEL 2023–2025
HM Inspector’s summary
The force has improved.
Alex Sample
HM Inspector of Constabulary
Investigating crime
{FORCE} is good at investigating crime.
Main findings
The force supervises investigations well
Supervision was recorded in 40 of 42 cases.
Good
Recording data about crime
{FORCE} is outstanding at recording crime.
Main findings
The force records crime accurately
It recorded 96 percent of crimes.
Outstanding
About the data
Methodology
Victim Service Assessment
This heading belongs to the methodology, not to an area.
"""


def write_corpus(
    folder: Path, docs: dict[str, tuple[str, str, str]], forces: dict[str, str] | None = None
) -> Path:
    """Write ``{file: (text, assessment, layout)}`` and a manifest naming them (each of
    FORCE, or of the force ``forces`` gives for its file); return the manifest."""
    entries = []
    for name, (text, assessment, layout) in docs.items():
        raw = text.encode("utf-8")
        (folder / name).write_bytes(raw)
        entries.append(f"""[[document]]
file = "{name}"
force = "{(forces or {}).get(name, FORCE)}"
assessment = "{assessment}"
layout = "{layout}"
kind = "{layout_of(layout, "tests").kinds[0]}"
published = "2027-03"
source = "A made-up PEEL report for tests"
licence = "Open Government Licence v3.0"
rights = "Crown copyright"
sha256 = "{hashlib.sha256(raw).hexdigest()}"
""")
    manifest = folder / "manifest.toml"
    manifest.write_text("\n".join(entries), encoding="utf-8")
    return manifest
