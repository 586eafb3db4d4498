"""Each community rule agrees with its queryset twin, for every person of the scene."""

import pytest

from community import rules, services

from .scene import make_scene, publish_data


@pytest.mark.parametrize("status", ["draft", "shared"])
def test_the_predicates_and_their_twins_agree(db, status):
    scene = make_scene(status=status)
    practice = services.practice_publish(
        measure=scene.measure, data=publish_data(), user=scene.users["alta_chief"]
    )
    for name, user in scene.users.items():
        sees = rules.sees_practice.test(user, practice)
        assert rules.practices_visible_to(user).filter(pk=practice.pk).exists() == sees, name
        edits = rules.edits_practice.test(user, practice)
        assert rules.practices_editable_by(user).filter(pk=practice.pk).exists() == edits, name
        adopts = rules.adopts_practice.test(user, practice)
        assert (sees and rules.plans_to_adopt_into(user, practice).exists()) == adopts, name
    # Who reads a draft's practice: its municipality's people (and administrators) only.
    readers = {n for n, u in scene.users.items() if rules.sees_practice.test(u, practice)}
    if status == "draft":
        assert readers == {"alta_chief", "alta_staff", "alta_mayor", "admin"}
    else:
        assert "stranger_facilitator" not in readers
        assert {"evora_chief", "officer", "norway_facilitator", "hammerfest_chief"} <= readers
