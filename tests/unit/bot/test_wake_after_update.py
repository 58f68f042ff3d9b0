"""After each update the bot wakes its outbox sender only if news was committed, and its dispatcher only if a
ticket changed: under load most updates (a /status, a lookup) write neither, and every needless wake was a write
transaction (the sender's claim) or a read of the whole backlog (a dispatch round)."""
from __future__ import annotations

from types import SimpleNamespace

from bot.app import _after_each_update
from storage.uow import Commits


class Wakeable:
    def __init__(self) -> None:
        self.kicks = 0

    def kick(self) -> None:
        self.kicks += 1


def _bot(commits: Commits | None):  # type: ignore[no-untyped-def]
    sender, dispatcher = Wakeable(), Wakeable()
    application = SimpleNamespace(bot_data={"sender": sender, "dispatcher": dispatcher})
    return _after_each_update(application, SimpleNamespace(commits=commits)), sender, dispatcher  # type: ignore[arg-type]


def test_an_update_that_wrote_nothing_wakes_nobody() -> None:
    commits = Commits()
    after_each, sender, dispatcher = _bot(commits)
    after_each()  # the first update after the start: whatever was left is looked at
    after_each()
    after_each()
    assert (sender.kicks, dispatcher.kicks) == (1, 1)


def test_news_wakes_the_sender_and_a_changed_ticket_the_dispatcher() -> None:
    commits = Commits()
    after_each, sender, dispatcher = _bot(commits)
    after_each()
    commits.committed(news=True, ticket_changes=False)
    after_each()
    assert (sender.kicks, dispatcher.kicks) == (2, 1)
    commits.committed(news=True, ticket_changes=True)
    after_each()
    assert (sender.kicks, dispatcher.kicks) == (3, 2)
    after_each()  # another chat's update finishing later, having written nothing: no second wake
    assert (sender.kicks, dispatcher.kicks) == (3, 2)


def test_without_counted_commits_every_update_wakes_both() -> None:
    after_each, sender, dispatcher = _bot(None)
    for _ in range(3):
        after_each()
    assert (sender.kicks, dispatcher.kicks) == (3, 3)
