"""Real redis-server processes that a test may kill and restart (no fakes)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server on its own port and directory; keeps its data across a restart."""

    def __init__(self, *extra: str) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ivr-redis-"))
        self.extra = extra
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always", *self.extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            if self.process.poll() is not None:
                break  # it exited: a bad option or a taken port
            try:
                if client.ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, decode_responses=True)

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class SentinelGroup:
    """A primary, a replica and three sentinels: real processes, as operators run them."""

    def __init__(self, service: str = "mymaster") -> None:
        self.service = service
        self.primary = RedisServer()
        self.replica = RedisServer()
        self.sentinels: list[tuple[int, subprocess.Popen, Path]] = []

    def start(self) -> "SentinelGroup":
        self.primary.start()
        self.replica.extra = ("--replicaof", "127.0.0.1", str(self.primary.port))
        self.replica.start()
        deadline = time.monotonic() + 15
        while redis.Redis(port=self.replica.port).info("replication").get("master_link_status") != "up":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not sync with the primary")
            time.sleep(0.1)
        for _ in range(3):
            port = free_port()
            folder = Path(tempfile.mkdtemp(prefix="ivr-sentinel-"))
            conf = folder / "sentinel.conf"
            conf.write_text(f"port {port}\nbind 127.0.0.1\ndir {folder}\n"
                            f"sentinel monitor {self.service} 127.0.0.1 {self.primary.port} 2\n"
                            f"sentinel down-after-milliseconds {self.service} 1000\n"
                            f"sentinel failover-timeout {self.service} 5000\n"
                            f"sentinel parallel-syncs {self.service} 1\n")
            process = subprocess.Popen(["redis-server", str(conf), "--sentinel"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            self.sentinels.append((port, process, folder))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # every sentinel has found the replica
            try:
                if all(redis.Redis(port=port).sentinel_slaves(self.service) for port, _, _ in self.sentinels):
                    return self
            except redis.RedisError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the sentinels did not see the replica")

    @property
    def addresses(self) -> str:
        return ",".join(f"127.0.0.1:{port}" for port, _, _ in self.sentinels)

    def settle(self) -> None:
        """Wait until the replica has every write so far (replication is asynchronous)."""
        redis.Redis(port=self.primary_port()).execute_command("WAIT", 1, 2000)

    def wait_until_promoted(self, timeout: float = 15.0) -> None:
        """Until every sentinel names the new primary and it answers as one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                named = {int(redis.Redis(port=port).sentinel_get_master_addr_by_name(self.service)[1])
                         for port, _, _ in self.sentinels}
                if len(named) == 1:
                    role = redis.Redis(port=named.pop(), socket_timeout=0.5).info("replication").get("role")
                    if role == "master":
                        return
            except redis.RedisError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the failover did not complete")

    def primary_port(self) -> int:
        host, port = redis.Redis(port=self.sentinels[0][0]).sentinel_get_master_addr_by_name(self.service)
        return int(port)

    def close(self) -> None:
        for _, process, folder in self.sentinels:
            process.kill()
            process.wait()
            shutil.rmtree(folder, ignore_errors=True)
        self.primary.close()
        self.replica.close()


class ClusterGroup:
    """Three primaries and three replicas in a Redis Cluster: real processes, as operators run them."""

    def __init__(self, primaries: int = 3) -> None:
        # The cluster bus port is named too: its default (port + 10000) may be out of range or taken.
        self.nodes = [RedisServer("--cluster-enabled", "yes", "--cluster-node-timeout", "1000",
                                  "--cluster-config-file", "nodes.conf", "--cluster-port", str(free_port()))
                      for _ in range(2 * primaries)]

    def start(self) -> "ClusterGroup":
        for node in self.nodes:
            node.start()
        subprocess.run(["redis-cli", "--cluster", "create", *(f"127.0.0.1:{node.port}" for node in self.nodes),
                        "--cluster-replicas", "1", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        self.wait_until_ok()
        return self

    @property
    def url(self) -> str:
        return self.nodes[0].url

    def alive(self) -> list[RedisServer]:
        return [node for node in self.nodes if node.process is not None]

    def wait_until_ok(self, timeout: float = 20.0) -> None:
        """Until every live node says the cluster is ok and three primaries serve every slot."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                infos = [redis.Redis(port=node.port, socket_timeout=0.5).cluster("info") for node in self.alive()]
                if all(info["cluster_state"] == "ok" and int(info["cluster_slots_ok"]) == 16384 for info in infos):
                    if all(self.primary_for(0) == self.primary_for(0, node) for node in self.alive()):
                        return
            except redis.RedisError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the cluster did not settle")

    def primary_for(self, slot: int, ask: RedisServer | None = None) -> int:
        """The port of the primary serving `slot`, as node `ask` (default: the first live one) sees it."""
        ask = ask or self.alive()[0]
        for start, end, primary, *_ in redis.Redis(port=ask.port, socket_timeout=0.5).execute_command("CLUSTER SLOTS"):
            if start <= slot <= end:
                return int(primary[1])
        raise RuntimeError(f"no node serves slot {slot}")

    def node(self, port: int) -> RedisServer:
        return next(node for node in self.nodes if node.port == port)

    def settle(self) -> None:
        """Wait until every replica has every write so far (replication is asynchronous)."""
        for node in self.alive():
            client = redis.Redis(port=node.port)
            if client.info("replication").get("role") == "master":
                client.execute_command("WAIT", 1, 2000)

    def close(self) -> None:
        for node in self.nodes:
            node.close()
