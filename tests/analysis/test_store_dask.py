"""Tests for running utils.tokenize_to_store on a Dask cluster (dask.distributed).

A LocalCluster of two worker processes stands in for a real cluster: each worker tags
with its own tagger and writes its own Parquet parts, this process merges the manifest,
and the store equals a run on this machine alone.
"""
from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

import utils
from test_store import store_rows, write_folder

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_a_cluster_run_equals_a_local_run(tmp_path, client):
    write_folder(tmp_path / "in", n=30, seed=2)
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01binary")
    local = utils.tokenize_to_store(tmp_path / "in", tmp_path / "local", batch_mb=0.003,
                                    progress=False)
    with distributed.get_task_stream(client) as stream:
        remote = utils.tokenize_to_store(tmp_path / "in", tmp_path / "dask", batch_mb=0.003,
                                         scheduler=client, progress=False)
    assert len({task["worker"] for task in stream.data}) == 2  # both workers tagged
    assert_frame_equal(store_rows(tmp_path / "dask"), store_rows(tmp_path / "local"))
    assert_frame_equal(remote.manifest, local.manifest)
    assert remote.last_run["batches"] > 4 and remote.last_run["problems"] == 1


def test_a_scheduler_address_works_as_the_command_gives_it(tmp_path, client):
    write_folder(tmp_path / "in", n=4, seed=3)
    store = utils.tokenize_to_store(tmp_path / "in", tmp_path / "s",
                                    scheduler=client.scheduler.address, progress=False)
    assert store.last_run["done"] == 4
    assert_frame_equal(store.tokens(), utils.tokenize(
        {p.relative_to(tmp_path / "in").with_suffix("").as_posix(): p.read_text("utf-8")
         for p in sorted((tmp_path / "in").rglob("*.txt"))}))
