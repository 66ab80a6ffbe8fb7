"""How people are named on screen: in full, or initials only when the privacy switch is on.

Window titles never carry a name whatever the switch says (they show in task bars and screen shares).
"""

from __future__ import annotations

from ..domain import Child, Family


def initials(name: str) -> str:
    return "".join(part[0].upper() + "." for part in name.split() if part)


def child_label(child: Child, initials_only: bool) -> str:
    return child.initials if initials_only else child.display_name


def family_label(family: Family, initials_only: bool) -> str:
    name = initials(family.family_name) if initials_only else family.family_name
    return f"{name} family · {family.case_ref}"
