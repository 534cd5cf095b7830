"""Key-value storage behind one small interface: Redis, or memory for one process.

Every value is written with a TTL; nothing is kept forever. A webhook makes
one read (MGET) and one pipelined write, so a conversation costs two round
trips however Redis is deployed: one server, Sentinel or Cluster.
"""
from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from typing import Sequence

import redis


class StoreUnavailable(RuntimeError):
    """The store could not be reached in time; callers degrade, never fail."""


class Store(ABC):
    @abstractmethod
    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        """Values of `keys`, None where absent, in one round trip."""

    @abstractmethod
    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        """Write (key, value, ttl_seconds) triples in one round trip."""

    @abstractmethod
    def count(self, key: str, ttl: int) -> int:
        """Increment a counter that expires `ttl` seconds after its first use."""

    @abstractmethod
    def tally(self, key: str, fields: Sequence[str], ttl: int, items: Sequence[tuple[str, str, int]] = ()) -> None:
        """Add one to each field of the hash `key` (expiring `ttl` after first use), with `items` written too."""

    @abstractmethod
    def tallies(self, key: str) -> dict[str, int]:
        """All fields of the hash `key`."""

    def remember(self, key: str, value: str, keep: int, ttl: int) -> None:
        """Add `value` to the front of the list `key`, keeping the newest `keep` (for IVR_KEEP_UNANSWERED)."""
        raise NotImplementedError

    def recall(self, key: str) -> list[str]:
        return []

    def get_many_and_count(self, keys: Sequence[str], counter: str, ttl: int) -> tuple[list[str | None], int]:
        """`get_many` and `count` together: one round trip where the store allows."""
        return self.get_many(keys), self.count(counter, ttl)

    def ping(self) -> bool:
        return True

    def writable(self) -> bool:
        return self.ping()


class MemoryStore(Store):
    """The local default: a dict with expiry times, safe across threads."""

    def __init__(self, clock=time.monotonic) -> None:
        self._data: dict[str, tuple[str, float]] = {}
        self._hashes: dict[str, tuple[dict[str, int], float]] = {}
        self._lists: dict[str, tuple[list[str], float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _live(self, key: str) -> str | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            del self._data[key]
            return None
        return entry[0]

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        with self._lock:
            return [self._live(key) for key in keys]

    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        with self._lock:
            now = self._clock()
            for key, value, ttl in items:
                self._data[key] = (value, now + ttl)

    def count(self, key: str, ttl: int) -> int:
        with self._lock:
            current = self._live(key)
            expires = self._data[key][1] if current is not None else self._clock() + ttl
            value = int(current or 0) + 1
            self._data[key] = (str(value), expires)
            return value

    def tally(self, key: str, fields: Sequence[str], ttl: int, items: Sequence[tuple[str, str, int]] = ()) -> None:
        self.set_many(items)
        with self._lock:
            entry = self._hashes.get(key)
            if entry is None or entry[1] <= self._clock():
                entry = ({}, self._clock() + ttl)
                self._hashes[key] = entry
            for name in fields:
                entry[0][name] = entry[0].get(name, 0) + 1

    def tallies(self, key: str) -> dict[str, int]:
        with self._lock:
            entry = self._hashes.get(key)
            return dict(entry[0]) if entry and entry[1] > self._clock() else {}

    def remember(self, key: str, value: str, keep: int, ttl: int) -> None:
        with self._lock:
            items, _ = self._lists.get(key, ([], 0.0))
            self._lists[key] = ([value, *items][:keep], self._clock() + ttl)

    def recall(self, key: str) -> list[str]:
        with self._lock:
            items, expires = self._lists.get(key, ([], 0.0))
            return list(items) if expires > self._clock() else []

    def ttl(self, key: str) -> float | None:
        with self._lock:
            return (self._data[key][1] - self._clock()) if self._live(key) is not None else None


class RedisStore(Store):
    """Production storage. Short socket timeouts: a slow Redis must not stall a call.

    Commands go down one connection borrowed from redis-py's pool and given
    back in every case, packed together: the same round trips as a pipeline
    at a fraction of its Python overhead. A connection that broke (Redis
    restarted) is dropped and the commands are tried once more on a fresh
    one; every failure becomes StoreUnavailable, so callers degrade and the
    pool never runs dry.
    """

    def __init__(self, url: str = "", timeout: float = 0.5, client: redis.Redis | None = None) -> None:
        """A Redis at `url`, or a given client (a Sentinel-managed primary: its pool finds the new
        primary after a failover on the next connection)."""
        self.client = client or redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, decode_responses=True,
            retry_on_timeout=False)

    def _round_trip(self, *commands: tuple, partial: bool = False) -> list:
        pool = self.client.connection_pool
        for attempt in (1, 2):
            try:
                connection = pool.get_connection()
            except (redis.RedisError, OSError) as exc:
                raise StoreUnavailable(type(exc).__name__) from exc
            try:
                connection.send_packed_command([pack(commands)])
                replies, refused = _read_replies(connection, len(commands))
            except (redis.ConnectionError, OSError) as exc:
                connection.disconnect()  # broken: never reused
                pool.release(connection)
                if attempt == 1:
                    # Redis restarted or failed over: every idle connection is stale too. Drop
                    # them all, then once more on a fresh one (Sentinel's pool asks for the new primary).
                    pool.disconnect(inuse_connections=False)
                    continue
                raise StoreUnavailable(type(exc).__name__) from exc
            except (redis.RedisError, ValueError) as exc:  # a timeout or garbage: the stream is unknown
                connection.disconnect()
                pool.release(connection)
                raise StoreUnavailable(type(exc).__name__) from exc
            pool.release(connection)
            if refused is not None and not partial:  # e.g. OOM or READONLY: Redis refused a write
                raise StoreUnavailable(type(refused).__name__) from refused
            return replies
        raise StoreUnavailable("unreachable")  # pragma: no cover - the loop returns or raises

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        return list(self._round_trip(("MGET", *keys))[0])

    def set_many(self, items: Sequence[tuple[str, str, int]]) -> None:
        self._round_trip(*(("SET", key, value, "EX", ttl) for key, value, ttl in items))

    def count(self, key: str, ttl: int) -> int:
        value, _ = self._round_trip(("INCR", key), ("EXPIRE", key, ttl, "NX"))
        return int(value)

    def tally(self, key: str, fields: Sequence[str], ttl: int, items: Sequence[tuple[str, str, int]] = ()) -> None:
        self._round_trip(*(("SET", name, value, "EX", seconds) for name, value, seconds in items),
                         *(("HINCRBY", key, name, 1) for name in fields), ("EXPIRE", key, ttl, "NX"))

    def remember(self, key: str, value: str, keep: int, ttl: int) -> None:
        self._round_trip(("LPUSH", key, value), ("LTRIM", key, 0, keep - 1), ("EXPIRE", key, ttl))

    def recall(self, key: str) -> list[str]:
        return [str(item) for item in self._round_trip(("LRANGE", key, 0, -1))[0] or []]

    def tallies(self, key: str) -> dict[str, int]:
        flat = self._round_trip(("HGETALL", key))[0] or []
        if isinstance(flat, dict):  # RESP3
            return {str(name): int(value) for name, value in flat.items()}
        return {str(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2)}

    def get_many_and_count(self, keys: Sequence[str], counter: str, ttl: int) -> tuple[list[str | None], int]:
        # A full Redis refuses the counter but still answers the read: a patient is still answered.
        values, count, _ = self._round_trip(("MGET", *keys), ("INCR", counter), ("EXPIRE", counter, ttl, "NX"),
                                            partial=True)
        if values is None:
            raise StoreUnavailable("read refused")
        return list(values), int(count or 0)

    def ping(self) -> bool:
        try:
            return self._round_trip(("PING",))[0] in (True, "PONG")
        except StoreUnavailable:
            return False

    def writable(self) -> bool:
        """Redis takes writes (not only answers): a full or read-only Redis is not healthy."""
        try:
            self._round_trip(("SET", "ivr:health", "1", "EX", 60))
            return True
        except StoreUnavailable:
            return False


class ClusterStore(RedisStore):
    """Redis Cluster, through redis-py's own RedisCluster client.

    A phone's keys share a hash tag (see sessions.py), so a turn's read goes to
    one node in one round trip; its write too, bar the day's usage counts,
    which live on their own slot and ride in the same pipeline (redis-py
    writes to every node first, then reads: the nodes answer in parallel).
    The client follows MOVED and ASK itself and finds the new primary after a
    failover; each failure becomes StoreUnavailable, as for a single Redis.
    """

    def __init__(self, url: str, timeout: float = 0.5) -> None:
        self.url, self.timeout = url, timeout
        self._cluster = None
        self._lock = threading.Lock()

    @property
    def cluster(self):
        """The client, made on first use: it asks a node for the slot map, so a cluster that is
        down when the line starts is tried again on the next turn instead of stopping the line."""
        if self._cluster is None:
            from redis.backoff import NoBackoff
            from redis.cluster import RedisCluster
            from redis.retry import Retry

            with self._lock:
                if self._cluster is None:
                    try:
                        self._cluster = RedisCluster.from_url(
                            self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout,
                            decode_responses=True, require_full_coverage=False, retry=Retry(NoBackoff(), 1))
                    except (redis.RedisError, OSError) as exc:
                        raise StoreUnavailable(type(exc).__name__) from exc
        return self._cluster

    def _round_trip(self, *commands: tuple, partial: bool = False) -> list:
        try:
            pipe = self.cluster.pipeline(transaction=False)
            for command in commands:
                pipe.execute_command(*command)
            replies = pipe.execute(raise_on_error=False)
        except (redis.RedisError, OSError, IndexError, KeyError) as exc:  # a node down, or slots moving
            raise StoreUnavailable(type(exc).__name__) from exc
        refused = next((reply for reply in replies if isinstance(reply, Exception)), None)
        if refused is not None and (not partial or not isinstance(refused, redis.ResponseError)):
            raise StoreUnavailable(type(refused).__name__) from refused
        return [None if isinstance(reply, Exception) else reply for reply in replies]

    def ping(self) -> bool:
        """Every primary answers (a pipeline sends one command to one node only)."""
        try:
            return bool(self.cluster.ping(target_nodes=self.cluster.PRIMARIES))
        except (StoreUnavailable, redis.RedisError, OSError, IndexError, KeyError):
            return False


def pack(commands: Sequence[tuple]) -> bytes:
    """Commands in Redis's wire format (RESP). redis-py's packer handles every type; ours
    takes only the str and int arguments the line sends, at a fraction of the cost."""
    out = []
    for command in commands:
        out.append(b"*%d\r\n" % len(command))
        for arg in command:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def _read_replies(connection, count: int) -> tuple[list, redis.ResponseError | None]:
    """Read every reply, even after an error reply, so the connection stays in step."""
    replies: list = []
    refused: redis.ResponseError | None = None
    for _ in range(count):
        try:
            replies.append(connection.read_response())
        except redis.ResponseError as exc:
            replies.append(None)
            refused = refused or exc
    return replies, refused


def parse_sentinels(value: str) -> list[tuple[str, int]]:
    """IVR_REDIS_SENTINELS, like "10.0.0.1:26379,10.0.0.2:26379"."""
    out = []
    for part in value.split(","):
        host, _, port = part.strip().rpartition(":")
        out.append((host, int(port)))
    return out


def sentinel_client(sentinels: str, service: str, timeout: float = 0.5, decode: bool = True) -> redis.Redis:
    """The current primary of `service`, through redis-py's own Sentinel client."""
    from redis.sentinel import Sentinel

    sentinel = Sentinel(parse_sentinels(sentinels), socket_timeout=timeout, socket_connect_timeout=timeout)
    return sentinel.master_for(service, socket_timeout=timeout, socket_connect_timeout=timeout,
                               decode_responses=decode, retry_on_timeout=False)


def make_store(redis_url: str | None, timeout: float = 0.5, mode: str = "single", sentinels: str = "",
               service: str = "mymaster") -> Store:
    if mode == "cluster":
        return ClusterStore(redis_url or "", timeout)
    if mode == "sentinel":
        return RedisStore(client=sentinel_client(sentinels, service, timeout))
    return RedisStore(redis_url or "", timeout) if redis_url else MemoryStore()
