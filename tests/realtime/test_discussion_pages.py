"""The discussion's pages: opened from the teaching, the dashboard's row, or directly."""

from __future__ import annotations

from realtime.discussing import discussed
from realtime.room import teach_lesson
from server.site import ok
from server.world import World


def test_the_teaching_s_discussion_page_before_during_and_after_opening(
    memory_world: World,
) -> None:
    world = memory_world
    lesson = teach_lesson(world)
    page = f"/teachings/{lesson.teaching_id}/discussion"
    running = world.ana.get(page)
    assert running.status_code == 200
    assert "end the teaching first" in running.get_data(as_text=True)
    ok(world.ana.post(f"{lesson.url}/end"))
    facilitator = world.ana.get(page).get_data(as_text=True)
    assert 'id="open-discussion"' in facilitator
    observer = world.obi.get(page).get_data(as_text=True)
    assert 'id="open-discussion"' not in observer
    assert "has not opened the discussion yet" in observer
    opened = ok(world.ana.post(f"{lesson.url}/discussion"), 201)["discussion"]["id"]
    followed = world.obi.get(page)
    assert followed.status_code == 302
    assert followed.headers["Location"].endswith(f"/discussions/{opened}")
    board = world.obi.get(f"/discussions/{opened}").get_data(as_text=True)
    assert f'data-discussion-id="{opened}"' in board
    assert f"/discussions/{opened}/record" in board


def test_the_dashboard_row_leads_to_the_latest_taught_lesson_s_discussion(
    memory_world: World,
) -> None:
    world = memory_world
    talk = discussed(world)
    answer = world.obi.get(f"/lessons/{world.lesson_id}/discussion")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/teachings/{talk.lesson.teaching_id}/discussion")
    assert world.nia.get(f"/lessons/{world.lesson_id}/discussion").status_code == 403
    world.site.settle()  # the dashboard is a read model
    team = world.ana.get(f"/teams/{world.team_id}").get_data(as_text=True)
    assert f"/lessons/{world.lesson_id}/discussion" in team


def test_a_guest_opens_the_board_and_a_visitor_is_sent_to_join(memory_world: World) -> None:
    world = memory_world
    talk = discussed(world, with_guest=True)
    assert talk.kit is not None
    page = talk.kit.get(f"/discussions/{talk.discussion_id}")
    assert page.status_code == 200
    assert "/record" not in page.get_data(as_text=True)  # the record is the team's
    visitor = world.visitor.get(f"/discussions/{talk.discussion_id}")
    assert visitor.status_code == 302
    assert visitor.headers["Location"].endswith(f"/teachings/{talk.lesson.teaching_id}/join")
    assert world.nia.get(f"/discussions/{talk.discussion_id}").status_code == 403
