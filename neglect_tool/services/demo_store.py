"""Writing the demo cases into a store through the ordinary repositories (so they are audited too)."""

from __future__ import annotations

from ..storage.store import Store
from .demo_data import DemoData


def write_demo(store: Store, data: DemoData) -> None:
    for professional in data.professionals:
        store.professionals.add(professional)
    for case in data.cases:
        store.families.add(case.family)
        for professional in case.professionals:
            store.families.involve(case.family.id, professional.id)
        for demo_child in case.children:
            store.children.add(demo_child.child)
            for demo_round in demo_child.rounds:
                store.rounds.add(demo_round.round)
                for sheet in demo_round.sheets:
                    store.sheets.create(sheet)
                if demo_round.consensus is not None:
                    store.consensus.save(demo_round.consensus)
                if demo_round.plan is not None:
                    store.plans.save(demo_round.plan)
