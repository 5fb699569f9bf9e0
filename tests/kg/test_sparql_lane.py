"""The SPARQL lane on its own: a real keeper, real threads and processes."""

import subprocess
import sys
import threading
import time

import pytest

from kg.sparql_lane import Lane, LaneFull, LaneKeeper


@pytest.fixture
def keeper(tmp_path):
    """``keeper(slots, per_client)``: a lane's keeper in ``tmp_path``, closed at the end."""
    made = []

    def make(slots: int, per_client: int) -> LaneKeeper:
        made.append(LaneKeeper(tmp_path, slots, per_client).start())
        return made[-1]

    yield make
    for each in made:
        each.close()


def _hold(lane: Lane, client: str, entered: threading.Event, leave: threading.Event) -> None:
    with lane.place(client):
        entered.set()
        leave.wait(30)


@pytest.fixture
def holding():
    """``holding(lane, client)``: a thread keeps a place until the test ends (or
    until the event it returns is set)."""
    threads = []

    def hold(lane: Lane, client: str) -> threading.Event:
        entered, leave = threading.Event(), threading.Event()
        thread = threading.Thread(target=_hold, args=(lane, client, entered, leave))
        thread.start()
        threads.append((thread, leave))
        assert entered.wait(10)
        return leave

    yield hold
    for thread, leave in threads:
        leave.set()
        thread.join()


def _until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the lane never got there"
        time.sleep(0.01)


def test_a_full_lane_refuses_after_the_wait(tmp_path, keeper, holding):
    keeper(slots=2, per_client=1)
    lane = Lane(tmp_path, wait=0.3)
    holding(lane, "a")
    holding(lane, "b")
    started = time.monotonic()
    with pytest.raises(LaneFull, match="on this server") as refused, lane.place("c"):
        pass
    assert time.monotonic() - started >= 0.3, "it waited before refusing"
    assert refused.value.retry_after == 1


def test_one_client_holds_at_most_its_share(tmp_path, keeper, holding):
    keeper(slots=3, per_client=1)
    lane = Lane(tmp_path, wait=0.1)
    holding(lane, "greedy")
    with pytest.raises(LaneFull, match="from this client"), lane.place("greedy"):
        pass
    with lane.place("other") as waited:
        assert waited < 0.1


def test_a_waiting_query_gets_the_place_when_it_frees(tmp_path, keeper, holding):
    keeper(slots=1, per_client=1)
    lane = Lane(tmp_path, wait=10)
    threading.Timer(0.2, holding(lane, "a").set).start()
    with lane.place("b") as waited:
        assert 0.1 < waited < 10, "the wait is reported, to be taken off the time limit"


def test_time_spent_queueing_before_asking_counts_toward_the_wait(tmp_path, keeper, holding):
    keeper(slots=1, per_client=1)
    lane = Lane(tmp_path, wait=1.0)
    leave = holding(lane, "a")
    started = time.monotonic()
    with pytest.raises(LaneFull), lane.place("b", waited=1.0):
        pass
    assert time.monotonic() - started < 0.5, "its wait was already up: refused at once"
    leave.set()
    with lane.place("b", waited=0.4) as waited:
        assert waited >= 0.4


def test_a_waiter_that_gives_up_leaves_the_queue(tmp_path, keeper, holding):
    lane_keeper = keeper(slots=1, per_client=1)
    lane = Lane(tmp_path, wait=0.2)
    leave = holding(lane, "a")
    with pytest.raises(LaneFull), lane.place("b"):
        pass
    _until(lambda: lane_keeper.waiting() == 0)
    leave.set()
    with lane.place("c") as waited:
        assert waited < 1


def _another_worker(directory, wait: float, hold: float) -> subprocess.Popen:
    """A process that takes a place, prints when it has it (time.monotonic()) and
    holds it ``hold`` seconds."""
    code = (
        "import time; from kg.sparql_lane import Lane\n"
        f"with Lane({str(directory)!r}, wait={wait}).place('other-worker'):\n"
        f"    print(time.monotonic(), flush=True); time.sleep({hold})\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_other_workers_share_the_lane_and_a_killed_one_leaks_nothing(tmp_path, keeper):
    """Another process holding the only place, as another web worker would; SIGKILL frees it."""
    keeper(slots=1, per_client=1)
    other = _another_worker(tmp_path, wait=0, hold=60)
    try:
        assert other.stdout.readline()
        lane = Lane(tmp_path, wait=0.2)
        with pytest.raises(LaneFull), lane.place("worker-1"):
            pass
        other.kill()
        other.wait(10)
        with lane.place("worker-1"):
            pass
    finally:
        other.kill()


def test_places_go_first_come_first_served_across_processes(tmp_path, keeper, holding):
    """A worker's own waiters do not pass one that waits in another worker: when the
    place frees, the other process, which asked first, has it before this one's two
    threads, however busily they ask again (the old lane woke its own process's
    waiters at once and let other processes look again only every 20 ms)."""
    lane_keeper = keeper(slots=1, per_client=9)
    lane = Lane(tmp_path, wait=10)
    leave = holding(lane, "first")
    other = _another_worker(tmp_path, wait=10, hold=0.1)
    try:
        _until(lambda: lane_keeper.waiting() == 1)  # the other process waits
        entries: list[float] = []

        def busy(client: str) -> None:
            for _ in range(5):
                with lane.place(client):
                    entries.append(time.monotonic())
                    time.sleep(0.02)

        threads = [threading.Thread(target=busy, args=(f"this-{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        _until(lambda: lane_keeper.waiting() == 3)
        leave.set()
        other_entered = float(other.stdout.readline())
        for thread in threads:
            thread.join()
    finally:
        other.kill()
    assert len(entries) == 10
    assert other_entered < min(entries), "the process that asked first got the place first"
