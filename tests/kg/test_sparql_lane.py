"""The SPARQL lane on its own: real locks, real threads and processes."""

import subprocess
import sys
import threading
import time

import pytest

from kg.sparql_lane import Lane, LaneFull


def _hold(lane: Lane, client: str, entered: threading.Event, leave: threading.Event) -> None:
    with lane.admit(client):
        entered.set()
        leave.wait(30)


@pytest.fixture
def holding(tmp_path):
    """``holding(lane, client)``: a thread keeps a place until the test ends."""
    leave, threads = threading.Event(), []

    def hold(lane: Lane, client: str) -> None:
        entered = threading.Event()
        thread = threading.Thread(target=_hold, args=(lane, client, entered, leave))
        thread.start()
        threads.append(thread)
        assert entered.wait(10)

    yield hold
    leave.set()
    for thread in threads:
        thread.join()


def test_a_full_lane_refuses_after_the_wait(tmp_path, holding):
    lane = Lane(tmp_path, slots=2, per_client=1, wait=0.3)
    holding(lane, "a")
    holding(lane, "b")
    started = time.monotonic()
    with pytest.raises(LaneFull, match="on this server") as refused, lane.admit("c"):
        pass
    assert time.monotonic() - started >= 0.3, "it waited before refusing"
    assert refused.value.retry_after == 1


def test_one_client_holds_at_most_its_share(tmp_path, holding):
    lane = Lane(tmp_path, slots=3, per_client=1, wait=0.1)
    holding(lane, "greedy")
    with pytest.raises(LaneFull, match="from this client"), lane.admit("greedy"):
        pass
    with lane.admit("other") as waited:
        assert waited < 0.1


def test_a_waiting_query_gets_the_place_when_it_frees(tmp_path):
    lane = Lane(tmp_path, slots=1, per_client=1, wait=10)
    entered, leave = threading.Event(), threading.Event()
    thread = threading.Thread(target=_hold, args=(lane, "a", entered, leave))
    thread.start()
    assert entered.wait(10)
    threading.Timer(0.2, leave.set).start()
    with lane.admit("b") as waited:
        assert 0.1 < waited < 10, "the wait is reported, to be taken off the time limit"
    thread.join()


def test_other_workers_share_the_lane_and_a_killed_one_leaks_nothing(tmp_path):
    """Another process holding the only place, as another web worker would; SIGKILL frees it."""
    code = (
        "import sys, time; from kg.sparql_lane import Lane\n"
        f"lane = Lane({str(tmp_path)!r}, slots=1, per_client=1, wait=0)\n"
        "with lane.admit('worker-2'):\n    print('in', flush=True); time.sleep(60)\n"
    )
    other = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "in"
        lane = Lane(tmp_path, slots=1, per_client=1, wait=0.2)
        with pytest.raises(LaneFull), lane.admit("worker-1"):
            pass
        other.kill()
        other.wait(10)
        with lane.admit("worker-1"):
            pass
    finally:
        other.kill()


def test_a_worker_keeps_threads_for_everything_else(tmp_path, holding):
    lane = Lane(tmp_path, slots=4, per_client=4, wait=0.1, local=1)
    holding(lane, "a")
    with pytest.raises(LaneFull, match="too many SPARQL requests"), lane.admit("b"):
        pass
