"""Differential test of the SPARQL engine (CONTRACT §4 /sparql, docs/capabilities.md): 200 generated clouds
(benchmarks/sparql/gen_clouds.py) are registered and their descriptions set through the admin API, 50 of them log in
(ready) and 10 more are away; then the whole union default graph is fetched from /sparql into an rdflib Graph and every
benchmark query (benchmarks/sparql/queries/*.rq) and 29 generated variants run on both. The rows must be equal as
multisets (in order when the query has ORDER BY; every ORDER BY here is a total order). Terms compare exactly
(lexical form, datatype, language) except numeric literals, which compare by value within their datatype, and blank
nodes, which all compare equal (benchmarks/sparql/sparql_rows.py)."""
import json
import sys
import time
import urllib.parse

import pytest
import rdflib
import rdflib.util

from conftest import ROOT
from test_capabilities import JSON_TYPE, put_capabilities, request
from xmpp_clients import RawClient

sys.path.insert(0, str(ROOT / "benchmarks" / "sparql"))
import gen_clouds  # noqa: E402
import sparql_rows  # noqa: E402

# rdflib rewrites lexical forms by default ("…Z" becomes "…+00:00"); terms must stay as the server sent them.
rdflib.NORMALIZE_LITERALS = False

N = 200
SEED = 7
READY = 50
AWAY = 10
IC = gen_clouds.IC
PREFIXES = (f"PREFIX ic: <{IC}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")
BENCHMARK_QUERIES = sorted((ROOT / "benchmarks" / "sparql" / "queries").glob("*.rq"))


def variants():
    """Generated variants of the benchmark queries: other thresholds, places, classes, certifications, windows."""
    out = {}
    for k, (replicas, where, below, currency) in enumerate(
            [(2, "EU", "0.03", "EUR"), (3, "EEA", "0.02", "EUR"), (1, "CH", "0.05", "CHF"), (1, "US", "0.04", "USD")]):
        out[f"v{k:02d}_storage_{where}"] = f"""SELECT ?cloud ?service ?amount WHERE {{
  ?cloud ic:offers ?service .
  ?service a/rdfs:subClassOf* ic:Storage ; ic:replicas ?replicas ; ic:region ?region ; ic:price ?price .
  ?region ic:jurisdiction ic:{where} .
  ?price ic:amount ?amount ; ic:currency "{currency}" ; ic:unit ic:GBMonth .
  FILTER(?replicas >= {replicas} && ?amount < {below})
}}"""
    for top in ("Compute", "Database", "Network", "Service"):
        out[f"v_subclass_{top}"] = f"""SELECT ?type (COUNT(?s) AS ?n) WHERE {{
  ?type rdfs:subClassOf* ic:{top} . ?s a ?type .
}} GROUP BY ?type"""
    for ready in ("true", "false"):
        out[f"v_by_country_ready_{ready}"] = f"""SELECT ?country (COUNT(?s) AS ?n) WHERE {{
  ?c ic:ready {ready} ; ic:offers ?s . ?s ic:region/ic:country ?country .
}} GROUP BY ?country ORDER BY DESC(?n) ?country"""
    for cert in ("SOC2", "C5"):
        out[f"v_without_{cert}"] = f"""SELECT DISTINCT ?c WHERE {{
  ?c ic:offers ?s . FILTER NOT EXISTS {{ ?c ic:certification ic:{cert} }}
}}"""
    out["v_updated_q1"] = """SELECT ?c ?u WHERE { ?c ic:updated ?u .
  FILTER(?u >= "2026-01-01T00:00:00Z"^^xsd:dateTime && ?u < "2026-04-01T00:00:00+02:00"^^xsd:dateTime) }"""
    out["v_expiring"] = """SELECT ?c WHERE { ?c ic:validUntil ?v .
  FILTER(?v <= "2027-06-01T00:00:00Z"^^xsd:dateTime) }"""
    out["v_regex_anywhere"] = """SELECT ?x ?l WHERE { ?x rdfs:label ?l . FILTER(REGEX(?l, "networks", "i")) }"""
    out["v_regex_case"] = """SELECT ?x ?l WHERE { ?x rdfs:label ?l . FILTER(REGEX(?l, "^[A-C]")) }"""
    out["v_cheapest_vcpu"] = """SELECT ?s ?a ?cur WHERE {
  ?s ic:price [ ic:amount ?a ; ic:currency ?cur ; ic:unit ic:VCPUHour ] } ORDER BY ?a ?s LIMIT 7"""
    out["v_dearest_instance"] = """SELECT ?s ?a WHERE {
  ?s ic:price [ ic:amount ?a ; ic:unit ic:InstanceHour ] } ORDER BY DESC(?a) ?s LIMIT 12 OFFSET 3"""
    out["v_uncertified"] = """SELECT ?c WHERE { ?c ic:offers ?s0 . OPTIONAL { ?c ic:certification ?x }
  FILTER(!BOUND(?x)) }"""
    out["v_presence_counts"] = """SELECT ?p (COUNT(*) AS ?n) WHERE { ?c ic:presence ?p } GROUP BY ?p"""
    out["v_clouds_are_a_set"] = """SELECT ?c WHERE { ?c a ic:Cloud }"""
    out["v_trusted_registered"] = """SELECT ?c ?t ?r ?e WHERE { ?c ic:trustLevel ?t ; ic:registeredAt ?r .
  OPTIONAL { ?c ic:endpoint ?e } FILTER(?t >= 4) }"""
    out["v_union_ch_gb"] = """SELECT ?s ?r WHERE { { ?s ic:region ?r . ?r ic:country ic:CH }
  UNION { ?s ic:region ?r . ?r ic:country ic:GB } }"""
    out["v_provider_countries"] = """SELECT (COUNT(DISTINCT ?country) AS ?n) (COUNT(?p) AS ?providers) WHERE {
  ?p a ic:Provider ; ic:country ?country }"""
    out["v_sum_replicas"] = """SELECT ?type (SUM(?r) AS ?total) (MAX(?r) AS ?most) WHERE {
  ?s a ?type ; ic:replicas ?r } GROUP BY ?type"""
    out["v_monthly_bind"] = """SELECT ?s (?a * 730 AS ?monthly) WHERE { ?s ic:price ?p . ?p ic:amount ?a ;
  ic:unit ic:InstanceHour . FILTER(?a * 730 < 50) }"""
    out["v_ask_none"] = """ASK { ?s ic:replicas ?r . FILTER(?r > 5) }"""
    out["v_values_regions"] = """SELECT ?s ?r WHERE { VALUES ?r { ic:DEFRA ic:FRPAR ic:USNYC } ?s ic:region ?r }"""
    out["v_api_str"] = """SELECT ?s ?api WHERE { ?s ic:api ?api .
  FILTER(STRSTARTS(?api, "S") || LCASE(?api) = "nfs") }"""
    out["v_minus_ready"] = """SELECT ?c WHERE { ?c ic:offers ?s . MINUS { ?c ic:ready true } }"""
    return out


CASES = {p.stem: p.read_text() for p in BENCHMARK_QUERIES} | {k: PREFIXES + v for k, v in variants().items()}


def http_select(root, query):
    status, headers, body = request(root, "POST", "/sparql", query.encode(),
                                    {"Content-Type": "application/sparql-query", "Accept": JSON_TYPE}, timeout=60)
    assert status == 200, (status, body[:500])
    return json.loads(body)


def to_rdflib(binding):
    kind = binding["type"]
    if kind == "uri":
        return rdflib.URIRef(binding["value"])
    if kind == "bnode":
        return rdflib.BNode(binding["value"])
    return rdflib.Literal(binding["value"], lang=binding.get("xml:lang"),
                          datatype=binding.get("datatype") if not binding.get("xml:lang") else None)


@pytest.fixture(scope="module")
def loaded(root):
    """The server with 200 generated clouds, and the same union default graph as an rdflib Graph."""
    generated = {}
    for i, desc, _, reg in gen_clouds.clouds(N, domain=root.domain, seed=SEED):
        name = gen_clouds.cloud_name(i)
        trust = next(int(o.split('"')[1]) for _, p, o in reg if p == f"<{IC}trustLevel>")
        endpoints = [o[1:-1] for _, p, o in reg if p == f"<{IC}endpoint>"]
        status, body = root.http("POST", "/v1/clouds", {"name": name, "password": "pw-" + name, "trustLevel": trust,
                                                        "endpoints": endpoints})
        assert status == 201, body
        status, _, body = put_capabilities(root, name, gen_clouds.to_turtle(desc))
        assert status == 201, (name, status, body)
        generated[name] = desc
    sessions = []
    for i in range(READY + AWAY):
        client = RawClient(root)
        client.login(gen_clouds.cloud_name(i * 3), "pw-" + gen_clouds.cloud_name(i * 3))
        client.send("<presence/>" if i < READY else "<presence><show>away</show></presence>")
        sessions.append(client)
    try:
        deadline = time.monotonic() + 15
        count = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?c ic:ready true }"
        while time.monotonic() < deadline:
            ready = int(http_select(root, count)["results"]["bindings"][0]["n"]["value"])
            if ready == READY:
                break
            time.sleep(0.2)
        assert ready == READY, f"{ready} clouds ready, expected {READY}"

        dump = http_select(root, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        graph = rdflib.Graph()
        for b in dump["results"]["bindings"]:
            graph.add((to_rdflib(b["s"]), to_rdflib(b["p"]), to_rdflib(b["o"])))
        assert len(graph) == len(dump["results"]["bindings"]), "the union default graph repeated a triple"
        # Nothing of the generated descriptions was lost on the way (ground triples; blank nodes by count).
        have = {(s.n3(), p.n3(), o.n3()) for s, p, o in graph if not isinstance(s, rdflib.BNode)
                and not isinstance(o, rdflib.BNode)}
        for name, desc in generated.items():
            for t in desc:
                if t[0].startswith("_:") or t[2].startswith("_:"):
                    continue
                s, p, o = t
                assert (s, p, o) in have or equal_literal(o, (s, p), graph), (name, t)
        blanks = sum(1 for desc in generated.values() for t in desc if t[0].startswith("_:"))
        assert sum(1 for s, _, _ in graph if isinstance(s, rdflib.BNode)) == blanks
        yield root, graph
    finally:
        for client in sessions:
            client.close()


def equal_literal(term, subject_predicate, graph):
    """Whether the graph holds the generated literal under another but equal lexical form (a canonicalising store)."""
    s, p = subject_predicate
    wanted = sparql_rows.from_rdflib(rdflib.util.from_n3(term))
    subject = rdflib.URIRef(s[1:-1])
    return any(sparql_rows.from_rdflib(o) == wanted for o in graph.objects(subject, rdflib.URIRef(p[1:-1])))


def server_rows(document):
    if "boolean" in document:
        return [("boolean", document["boolean"])]
    names = document["head"]["vars"]
    return [tuple(sparql_rows.from_json(b.get(n)) for n in names) for b in document["results"]["bindings"]]


def reference_rows(graph, query):
    result = graph.query(query)
    if result.type == "ASK":
        return [("boolean", bool(result.askAnswer))]
    names = [str(v) for v in result.vars]
    return [tuple(sparql_rows.from_rdflib(row[n]) for n in names) for row in result]


def test_every_case_has_answers_somewhere(loaded):
    """Guards the comparison below against vacuous passes: most cases must return rows."""
    _, graph = loaded
    empty = [name for name, q in CASES.items() if reference_rows(graph, q) in ([], [("boolean", False)])]
    assert len(empty) <= 3, empty


@pytest.mark.parametrize("name", sorted(CASES))
def test_rows_equal_rdflib(loaded, name):
    root, graph = loaded
    query = CASES[name]
    ours = server_rows(http_select(root, query))
    reference = reference_rows(graph, query)
    if sparql_rows.has_order_by(query):
        assert ours == reference, f"{name}: rows or their order differ\n{query}"
    else:
        assert sorted(ours) == sorted(reference), (
            f"{name}: {len(ours)} rows vs rdflib {len(reference)}\nonly ours: "
            f"{sorted(set(ours) - set(reference))[:5]}\nonly rdflib: {sorted(set(reference) - set(ours))[:5]}")


def test_query_encoding_over_get_matches_post(loaded):
    root, _ = loaded
    query = CASES["q07_regex_label"]
    status, _, body = request(root, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                              headers={"Accept": JSON_TYPE})
    assert status == 200
    assert sorted(server_rows(json.loads(body))) == sorted(server_rows(http_select(root, query)))
