"""The generated inventory: lazily built, cached collections of rendered items."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from .catalog import SPECS, Gen, Path, TypeSpec
from .fill import Filler
from .scenario import Scenario
from .wire import Shape, Slot, Template, service_model, writer_for


def set_path(tree: Any, path: Path, value: Any) -> None:
    node = tree
    for k, nxt in itertools.pairwise(path):
        if isinstance(k, int):
            while len(node) <= k:
                node.append([] if isinstance(nxt, int) else {})
            node = node[k]
        else:
            if not isinstance(node.get(k), list | dict):
                node[k] = [] if isinstance(nxt, int) else {}
            node = node[k]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def build_template(
    service: str,
    item_shape: Shape,
    list_shape: Shape | None,
    sample: Mapping[str, Any],
    *,
    skip: frozenset[str] = frozenset(),
    fixed: Mapping[Path, Any] | None = None,
    slot_paths: Mapping[str, tuple[Path, ...]] | None = None,
    max_depth: int = 3,
    id_field: str = "",
) -> Template:
    """A template for items of ``item_shape`` whose per-item values are the keys of ``sample``.

    With ``list_shape`` the template renders one element of that list (XML: with its element
    tag), otherwise the bare value.
    """
    if item_shape.type_name != "structure":
        tree: Any = Slot(id_field)
    else:
        tree = Filler(service, max_depth, skip).fill(item_shape) or {}
        for path, value in (fixed or {}).items():
            set_path(tree, path, value)
        paths = slot_paths or {}
        for key in sample:
            for path in paths.get(key) or (((key,),) if key in item_shape.members else ()):
                set_path(tree, path, Slot(key))
    return writer_for(service_model(service).protocol).compile(item_shape, tree, list_shape)


class Collection:
    """Items of one (account, region, type); region is ``global`` for global types."""

    def __init__(self, world: World, spec: TypeSpec, gen: Gen, n: int, tpl: Template):
        self.world = world
        self.spec = spec
        self.gen = gen
        self.n = n
        self.tpl = tpl
        k = min(world.scenario.faults.malformed_items.get(spec.resource_type, 0), n)
        self.malformed = frozenset((j * n) // k for j in range(k)) if k else frozenset()
        self._frags: list[str | None] = [None] * n
        self._index: dict[str, int] | None = None

    def values(self, i: int) -> dict[str, Any]:
        v = self.spec.values(self.gen, i)
        if i in self.malformed:
            v[self.spec.id_field] = None
        return v

    def frag(self, i: int) -> str:
        f = self._frags[i]
        if f is None:
            f = self.tpl.render(self.values(i))
            if self.world.cache_left > 0:
                self._frags[i] = f
                self.world.cache_left -= len(f)
        return f

    def frags(self, indices: Sequence[int]) -> list[str]:
        cached = self._frags
        out = []
        for i in indices:
            f = cached[i]
            out.append(f if f is not None else self.frag(i))
        return out

    def ident(self, i: int) -> str:
        return self.spec.ident(self.gen, i)

    def index_of(self, ident: str) -> int | None:
        if self._index is None:
            self._index = {self.ident(i): i for i in range(self.n)}
        return self._index.get(ident)

    def tags(self, i: int) -> list[tuple[str, str]]:
        fn = self.spec.tags
        if fn is not None:
            return fn(self.gen, i)
        v = self.spec.values(self.gen, i)
        for key in ("Tags", "TagSet", "TagList"):
            if key in v:
                return [(t["Key"], t["Value"]) for t in v[key]]
        return []


class World:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.regions = list(scenario.regions)
        self.partition = scenario.partition
        self.home_region = scenario.home_region
        self._accounts = {a.id for a in scenario.accounts}
        self._gens: dict[tuple[str, str, str], Gen] = {}
        self._colls: dict[tuple[str, str, str], Collection] = {}
        self._templates: dict[str, Template] = {}
        self._specialized: dict[tuple[str, str, str], Template] = {}
        self.cache_left = scenario.cache_mb * 2**20

    def count(self, account: str, region: str, resource_type: str) -> int:
        spec = SPECS[resource_type]
        if account not in self._accounts or spec.global_ != (region == "global"):
            return 0
        if region != "global" and region not in self.scenario.regions:
            return 0
        return self.scenario.count(account, resource_type)

    def gen(self, account: str, region: str, resource_type: str) -> Gen:
        key = (account, region, resource_type)
        g = self._gens.get(key)
        if g is None:
            g = self._gens[key] = Gen(self, self.scenario.seed, account, region, resource_type)
        return g

    def template(self, resource_type: str) -> Template:
        tpl = self._templates.get(resource_type)
        if tpl is None:
            spec = SPECS[resource_type]
            model = service_model(spec.service)
            out = model.operation_model(spec.operation).output_shape
            list_shape = out.members[spec.result_key]
            if spec.item_shape:
                item_shape = model.shape_for(spec.item_shape)
                list_shape = model.shape_for("Reservation").members["Instances"]
            else:
                item_shape = list_shape.member
            sample = spec.values(
                self.gen(self.scenario.management.id, self.home_region, resource_type), 0
            )
            tpl = build_template(
                spec.service,
                item_shape,
                list_shape,
                sample,
                skip=spec.skip,
                fixed=spec.fixed,
                slot_paths=spec.slot_paths,
                max_depth=spec.max_depth,
                id_field=spec.id_field,
            )
            self._templates[resource_type] = tpl
        return tpl

    def collection(self, account: str, region: str, resource_type: str) -> Collection:
        key = (account, region, resource_type)
        c = self._colls.get(key)
        if c is None:
            spec = SPECS[resource_type]
            tkey = (account, self.home_region if region == "global" else region, resource_type)
            tpl = self._specialized.get(tkey)
            if tpl is None:
                tpl = self._specialized[tkey] = self.template(resource_type).specialize(
                    tkey[0], tkey[1], self.partition
                )
            n = self.count(account, region, resource_type)
            c = self._colls[key] = Collection(self, spec, self.gen(*key), n, tpl)
        return c

    def resource_ids(self, account: str, region: str, resource_type: str) -> list[str]:
        """The resource ids (as docs/CONVENTIONS.md defines them) a full listing returns."""
        c = self.collection(account, region, resource_type)
        return [c.ident(i) for i in range(c.n) if i not in c.malformed]

    def tags_of(
        self, account: str, region: str, resource_type: str, resource_id: str
    ) -> dict[str, str]:
        """The tags of one resource (by its resource id), as the fake reports them."""
        c = self.collection(account, region, resource_type)
        i = c.index_of(resource_id)
        if i is None:
            raise KeyError(resource_id)
        return dict(c.tags(i))

    def scopes(self) -> list[tuple[str, str, str]]:
        """Every (account, region, type) with items."""
        out = []
        for a in self.scenario.accounts:
            for rtype, spec in SPECS.items():
                for region in ["global"] if spec.global_ else self.scenario.regions:
                    if self.count(a.id, region, rtype):
                        out.append((a.id, region, rtype))
        return out

    def prewarm(self) -> int:
        """Render every item now (so a benchmark does not pay for generation); returns items."""
        total = 0
        for key in self.scopes():
            c = self.collection(*key)
            c.frags(range(c.n))
            total += c.n
        return total
