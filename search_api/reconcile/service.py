"""The answers of the reconciliation service, as plain JSON-ready data: the manifest,
result batches, the three suggest services, property proposals and data extension.
The HTTP layer (search_api.blueprints.reconcile) only parses requests and wraps these."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from kg import version
from search_api.reconcile.catalog import (
    PROPERTIES,
    PROPERTY_BY_ID,
    TYPE_BY_ID,
    TYPES,
    Catalog,
    Entity,
    Property,
)
from search_api.reconcile.matching import Candidate, Matcher, Query, QueryError, type_id
from search_api.search.suggest import fold

PREVIEW_SIZE = (400, 160)
SUGGEST_LIMIT = 10


class Service:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog, self.matcher = catalog, Matcher(catalog)

    def manifest(self, root: str) -> dict:
        """``root``: this server's URL, ending with '/'."""
        base = self.catalog.iris.base
        service = root.rstrip("/")
        return {
            "versions": ["0.2"],
            "name": "normgraph: law, norms and practice on racial discrimination and minorities",
            "identifierSpace": f"{base}id/",
            "schemaSpace": f"{base}def/",
            "documentation": f"{root}openapi.json",
            "serviceVersion": version(),
            "defaultTypes": [_type(t.id) for t in TYPES],
            "view": {"url": f"{root}doc/{{{{id}}}}"},
            "preview": {
                "url": f"{root}reconcile/preview?id={{{{id}}}}",
                "width": PREVIEW_SIZE[0],
                "height": PREVIEW_SIZE[1],
            },
            "suggest": {
                "entity": {
                    "service_url": service,
                    "service_path": "/reconcile/suggest/entity",
                    "flyout_service_path": "/reconcile/flyout?id=${id}",
                },
                "type": {"service_url": service, "service_path": "/reconcile/suggest/type"},
                "property": {"service_url": service, "service_path": "/reconcile/suggest/property"},
            },
            "extend": {
                "propose_properties": {
                    "service_url": service,
                    "service_path": "/reconcile/propose_properties",
                },
                "property_settings": [],
            },
        }

    def reconcile(self, queries: dict[str, Query], lang: str = "en") -> dict:
        return {
            name: {"result": [self._candidate(c, lang) for c in self.matcher.reconcile(query)]}
            for name, query in queries.items()
        }

    def _candidate(self, c: Candidate, lang: str) -> dict:
        out = {
            "id": c.entity.id,
            "name": self.catalog.name(c.entity.iri, lang),
            "type": self.catalog.type_refs(c.entity),
            "score": c.score,
            "match": c.match,
            "features": [{"id": "name", "value": c.score}]
            + [{"id": pid, "value": ok} for pid, ok in c.checks.items()],
        }
        if description := self.catalog.description(c.entity, lang):
            out["description"] = description
        return out

    def suggest_entities(
        self,
        prefix: str,
        types: tuple[str, ...],
        lang: str,
        cursor: int = 0,
        limit: int = SUGGEST_LIMIT,
    ) -> dict:
        """``cursor``: how many suggestions the client has already shown."""
        kinds = set(types) or None
        found = self.catalog.names.suggest(prefix, cursor + limit, lang, kinds)
        result = []
        for s in found[cursor:]:
            entity = self.catalog.entities[s.iri]
            item = {"id": entity.id, "name": s.label, "notable": self.catalog.type_refs(entity)}
            if s.label != s.matched:
                item["description"] = s.matched
            result.append(item)
        return {"result": result}

    def suggest_types(self, prefix: str) -> dict:
        q = fold(prefix.strip())
        return {
            "result": [
                {"id": t.id, "name": t.name, "description": t.description}
                for t in TYPES
                if q in fold(t.name) or q in fold(t.id)
            ]
        }

    def suggest_properties(self, prefix: str, type_ref: str | None = None) -> dict:
        q = fold(prefix.strip())
        wanted = type_id(type_ref) if type_ref else None
        return {
            "result": [
                {"id": p.id, "name": p.name, "description": p.description}
                for p in PROPERTIES
                if (q in fold(p.name) or q in fold(p.id)) and (not wanted or wanted in p.types)
            ]
        }

    def propose_properties(self, type_ref: str, limit: int | None = None) -> dict:
        wanted = type_id(type_ref)
        if wanted is None:
            raise QueryError(f"unknown type {type_ref!r}; known types: {', '.join(TYPE_BY_ID)}")
        props = [
            {"id": p.id, "name": p.name, "description": p.description}
            for p in PROPERTIES
            if wanted in p.types
        ]
        out: dict = {"type": wanted, "properties": props[:limit] if limit else props}
        if limit:
            out["limit"] = limit
        return out

    def extend(self, request: object, lang: str = "en") -> dict:
        """Values of the asked properties for each id (``{"ids": [...], "properties":
        [{"id": "symbol"}, ...]}``); an unknown id gets an empty row."""
        ids, pids = _extension_request(request)
        meta = [_meta(PROPERTY_BY_ID[pid]) for pid in pids]
        rows = {}
        for ref in ids:
            entity = self.catalog.get(ref)
            rows[ref] = {pid: self._values(entity, pid, lang) if entity else [] for pid in pids}
        return {"meta": meta, "rows": rows}

    def _values(self, entity: Entity, pid: str, lang: str) -> list[dict]:
        prop = PROPERTY_BY_ID[pid]
        out = []
        for predicate in prop.predicates:
            for value in entity.values(predicate):
                out.append(self._cell(value, prop.kind, lang))
        return [cell for i, cell in enumerate(out) if cell not in out[:i]]

    def _cell(self, value: Literal | NamedNode, kind: str, lang: str) -> dict:
        if kind == "entity" and isinstance(value, NamedNode):
            path = self.catalog.iris.page_path(value.value) or value.value
            return {"id": path, "name": self.catalog.name(value.value, lang)}
        if kind == "date" and len(value.value) == 10:
            return {"date": f"{value.value}T00:00:00Z"}
        if kind == "boolean":
            return {"str": "yes" if value.value == "true" else "no"}
        return {"str": value.value}

    def card(self, ref: str, lang: str = "en") -> dict | None:
        """What the preview and flyout show: name, types, description, UNBIS matches."""
        entity = self.catalog.get(ref)
        if entity is None:
            return None
        return {
            "id": entity.id,
            "iri": entity.iri,
            "name": self.catalog.name(entity.iri, lang),
            "types": [t["name"] for t in self.catalog.type_refs(entity)],
            "description": self.catalog.description(entity, lang, unbis=False),
            "unbis": self.catalog.unbis(entity),
            "symbols": [v.value for v in entity.values("ng:symbol")],
        }


def _type(type_id_: str) -> dict:
    t = TYPE_BY_ID[type_id_]
    return {"id": t.id, "name": t.name}


def _meta(prop: Property) -> dict:
    out = {"id": prop.id, "name": prop.name}
    if prop.target:
        out["type"] = _type(prop.target)
    return out


def _extension_request(request: object) -> tuple[list[str], list[str]]:
    if not isinstance(request, dict):
        raise QueryError("'extend' must be a JSON object with 'ids' and 'properties'")
    ids, props = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise QueryError("'extend': 'ids' must be a list of entity ids")
    if not isinstance(props, list) or not all(isinstance(p, dict) and "id" in p for p in props):
        raise QueryError("'extend': 'properties' must be a list of {\"id\": ...}")
    pids = [p["id"] for p in props]
    unknown = [p for p in pids if p not in PROPERTY_BY_ID]
    if unknown:
        known = ", ".join(PROPERTY_BY_ID)
        raise QueryError(f"'extend': unknown property {unknown[0]!r}; known: {known}")
    return ids, pids
