"""Capability matching end to end (CONTRACT §4 /sparql, §5 directory, §5.1–§5.3; docs/capabilities.md): clouds
publish Turtle descriptions over PEP (slixmpp) or the admin API, the directory adds registry facts and live
presence, and the same SPARQL query answers alike over XMPP (`urn:intercloud:match:0` at directory.D) and HTTP
(SPARQL 1.1 Protocol, also through SPARQLWrapper)."""
import asyncio
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from contextlib import contextmanager

import rdflib
import rdflib.compare
from slixmpp.exceptions import IqError
from slixmpp.xmlstream import ET
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from conftest import ROOT, Root
from xmpp_clients import close, login

sys.path.insert(0, str(ROOT / "benchmarks" / "sparql"))
import sparql_rows  # noqa: E402

NODE = "urn:intercloud:capabilities:0"
MATCH = "urn:intercloud:match:0"
RESULTS = "http://www.w3.org/2005/sparql-results#"
IC = "https://w3id.org/intercloud/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
JSON_TYPE = "application/sparql-results+json"
XML_TYPE = "application/sparql-results+xml"
PREFIXES = f"PREFIX ic: <{IC}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX xsd: <{XSD}>\n"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 180))


def cloud_iri(root, name):
    return f"xmpp:{name}@{root.domain}"


def description(root, name, kind="ObjectStorage", replicas=3, region="DEFRA", amount="0.015", label=None):
    """A small description in the style of docs/capabilities.md; the price bnode is written inline."""
    me = cloud_iri(root, name)
    return f"""@prefix ic: <{IC}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <{XSD}> .

<{me}> a ic:Cloud ;
    rdfs:label "{label or name}" ;
    ic:certification ic:ISO27001 ;
    ic:offers <{me}#store> .

<{me}#store> a ic:{kind} ;
    ic:region ic:{region} ;
    ic:replicas {replicas} ;
    ic:durability "99.999999999"^^xsd:decimal ;
    ic:price [ ic:amount "{amount}"^^xsd:decimal ; ic:currency "EUR" ; ic:unit ic:GBMonth ] .
"""


def issue_query(root, *names):
    """The issue's query, restricted to some clouds so that other tests' clouds do not interfere."""
    values = " ".join(f"<{cloud_iri(root, n)}>" for n in names)
    return PREFIXES + f"""SELECT ?cloud ?service ?amount WHERE {{
  VALUES ?cloud {{ {values} }}
  ?cloud ic:ready true ;
         ic:offers ?service .
  ?service a/rdfs:subClassOf* ic:ObjectStorage ;
           ic:replicas ?replicas ;
           ic:region ?region ;
           ic:price ?price .
  ?region ic:jurisdiction ic:EU .
  ?price ic:amount ?amount ;
         ic:currency "EUR" ;
         ic:unit ic:GBMonth .
  FILTER(?replicas >= 3 && ?amount < 0.02)
}}"""


def about_query(root, name):
    return f"SELECT ?p ?o WHERE {{ <{cloud_iri(root, name)}> ?p ?o }}"


def payload(turtle):
    element = ET.Element(f"{{{NODE}}}capabilities")
    element.text = turtle
    return element


async def cap_client(root, jid, password, show=None):
    """A logged-in cloud that has sent its initial presence (`show` None = available, ready)."""
    client = await login(root, jid, password, plugins=("xep_0060", "xep_0163"))
    client.send_presence(pshow=show) if show else client.send_presence()
    return client


async def publish(client, turtle):
    await client.plugin["xep_0060"].publish(None, NODE, id="current", payload=payload(turtle), timeout=15)


# ------------------------------------------------------------------------------------------------ result parsing

def rows_from_json(document):
    """(variables, sorted rows) of a SPARQL Query Results JSON document; ASK → ([], [("boolean", b)])."""
    if "boolean" in document:
        return [], [("boolean", document["boolean"])]
    names = document["head"]["vars"]
    rows = [tuple(sparql_rows.from_json(b.get(n)) for n in names) for b in document["results"]["bindings"]]
    return names, sorted(rows)


def rows_from_xml(element):
    """(variables, sorted rows) of a SPARQL Query Results XML <sparql> element."""
    assert element is not None and element.tag == f"{{{RESULTS}}}sparql", element
    boolean = element.find(f"{{{RESULTS}}}boolean")
    if boolean is not None:
        return [], [("boolean", boolean.text.strip() == "true")]
    names = [v.get("name") for v in element.find(f"{{{RESULTS}}}head").findall(f"{{{RESULTS}}}variable")]
    rows = []
    for result in element.find(f"{{{RESULTS}}}results").findall(f"{{{RESULTS}}}result"):
        bound = {b.get("name"): b for b in result.findall(f"{{{RESULTS}}}binding")}
        rows.append(tuple(sparql_rows.from_xml(bound.get(n)) for n in names))
    return names, sorted(rows)


async def match(client, root, query):
    """Asks directory.D (CONTRACT §5.3) and returns (variables, sorted rows)."""
    iq = client.make_iq_get(ito=f"directory.{root.domain}")
    element = ET.Element(f"{{{MATCH}}}match")
    ET.SubElement(element, f"{{{MATCH}}}sparql").text = query
    iq.xml.append(element)
    result = await iq.send(timeout=15)
    answer = result.xml.find(f"{{{MATCH}}}match")
    assert answer is not None, ElementTree.tostring(result.xml)
    return rows_from_xml(answer.find(f"{{{RESULTS}}}sparql"))


async def match_error(client, root, query):
    try:
        await match(client, root, query)
    except IqError as error:
        return error
    raise AssertionError("the match was answered, expected an error")


# ------------------------------------------------------------------------------------------------ HTTP helpers

def request(root, method, path, body=None, headers=None, timeout=30):
    """(status, headers with lower-case names, body bytes) of one HTTP request."""
    req = urllib.request.Request(f"http://127.0.0.1:{root.ports['http']}{path}", data=body, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def token(root):
    with open(os.path.join(root.data_dir, "admin.token")) as f:
        return f.read().strip()


def sparql_http(root, query, how="get", accept=JSON_TYPE, timeout=30):
    """The SPARQL 1.1 Protocol (§2.1): GET ?query=, POST application/sparql-query, POST form."""
    headers = {"Accept": accept}
    if how == "get":
        return request(root, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers,
                       timeout=timeout)
    if how == "post":
        headers["Content-Type"] = "application/sparql-query"
        return request(root, "POST", "/sparql", query.encode(), headers, timeout)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return request(root, "POST", "/sparql", urllib.parse.urlencode({"query": query}).encode(), headers, timeout)


def select(root, query, how="get", accept=JSON_TYPE):
    """(variables, sorted rows) over HTTP, checking status and media type."""
    status, headers, body = sparql_http(root, query, how, accept)
    assert status == 200, (status, body[:500])
    assert headers.get("content-type", "").startswith(accept), headers
    if accept == JSON_TYPE:
        return rows_from_json(json.loads(body))
    return rows_from_xml(ElementTree.fromstring(body))


def json_error(body):
    document = json.loads(body)
    assert set(document) >= {"error", "message"} and document["message"], document
    return document


def put_capabilities(root, name, turtle, auth=True, content_type="text/turtle"):
    headers = {"Content-Type": content_type}
    if auth:
        headers["Authorization"] = "Bearer " + token(root)
    return request(root, "PUT", f"/v1/clouds/{name}/capabilities", turtle.encode(), headers)


def until(check, timeout=10):
    """Polls the blocking `check` until it is true (outside an event loop)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


async def eventually(check, timeout=10):
    """Polls the blocking `check` (an HTTP query) off the event loop until it is true."""
    return await wait_for_async(lambda: asyncio.to_thread(check), timeout)


async def wait_for_async(probe, timeout):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if await probe():
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.1)


def clouds_in(rows):
    return sorted({row[0][1] for row in rows})


@contextmanager
def custom_root(*extra_args):
    with tempfile.TemporaryDirectory(prefix="intercloud-it-") as data_dir:
        server = Root(data_dir, extra_args=list(extra_args))
        try:
            yield server
        finally:
            server.stop()


# ------------------------------------------------------------------------------------------------ tests

def test_directory_service_is_discoverable(root):
    jid = root.add_cloud("cap-disco", "pw")

    async def scenario():
        client = await login(root, jid, "pw")
        items = await client.plugin["xep_0030"].get_items(jid=root.domain, timeout=10)
        assert f"directory.{root.domain}" in [str(item[0]) for item in items["disco_items"]["items"]]
        info = await client.plugin["xep_0030"].get_info(jid=f"directory.{root.domain}", timeout=10)
        identities = {(i[0], i[1]) for i in info["disco_info"]["identities"]}
        assert ("directory", "intercloud") in identities, identities
        assert MATCH in info["disco_info"]["features"]
        await close(client)

    run(scenario())


def test_ontology_is_in_the_store(root):
    _, rows = select(root, PREFIXES + "ASK { ic:ArchiveStorage rdfs:subClassOf* ic:Service . "
                                      "ic:DEFRA ic:jurisdiction ic:EU ; ic:country ic:DE }")
    assert rows == [("boolean", True)], "schemas/intercloud.ttl must be loaded (hierarchy, regions)"


def test_registry_facts_and_presence_follow_the_session(root):
    jid = root.add_cloud("cap-facts", "pw")

    def facts():
        _, rows = select(root, about_query(root, "cap-facts"))
        return {(p[1], o) for p, o in rows}

    def state(presence, ready):
        now = facts()
        return ((IC + "presence", sparql_rows.literal(presence)) in now
                and (IC + "ready", sparql_rows.literal(ready, XSD + "boolean")) in now)

    # The CLI writes the registry directly; the running root picks the new cloud up within its 2 s sweep.
    assert run(eventually(lambda: (IC + "name", sparql_rows.literal("cap-facts")) in facts())), facts()
    initial = facts()
    assert (IC + "status", sparql_rows.literal("active")) in initial, initial
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ("iri", IC + "Cloud")) in initial
    trust = [o for p, o in initial if p == IC + "trustLevel"]
    assert len(trust) == 1 and trust[0][2] == XSD + "integer", initial
    registered = [o for p, o in initial if p == IC + "registeredAt"]
    assert len(registered) == 1 and registered[0][2] == XSD + "dateTime", initial
    assert state("unavailable", "false"), initial
    assert len([p for p, _ in initial if p == IC + "ready"]) == 1

    async def scenario():
        client = await cap_client(root, jid, "pw", show="away")
        assert await eventually(lambda: state("away", "false")), facts()
        client.send_presence(pshow="dnd")
        assert await eventually(lambda: state("dnd", "false")), facts()
        client.send_presence(pshow="chat")
        assert await eventually(lambda: state("chat", "true")), facts()
        client.send_presence()
        assert await eventually(lambda: state("available", "true")), facts()
        await close(client)
        assert await eventually(lambda: state("unavailable", "false")), facts()
        assert len([1 for p, _ in facts() if p == IC + "ready"]) == 1, "one ic:ready value at a time"

    run(scenario())


def test_match_returns_only_ready_clouds_alike_over_xmpp_http_and_sparqlwrapper(root):
    a = root.add_cloud("cap-alpha", "pw-a")
    b = root.add_cloud("cap-bravo", "pw-b")
    query = issue_query(root, "cap-alpha", "cap-bravo")
    alpha, bravo = cloud_iri(root, "cap-alpha"), cloud_iri(root, "cap-bravo")

    async def scenario():
        ca = await cap_client(root, a, "pw-a")
        cb = await cap_client(root, b, "pw-b")
        await publish(ca, description(root, "cap-alpha", amount="0.015"))
        # bravo offers archive storage: it matches ic:ObjectStorage only through the ontology's rdfs:subClassOf.
        await publish(cb, description(root, "cap-bravo", kind="ArchiveStorage", region="NLAMS", amount="0.004"))
        both = [alpha, bravo]
        assert await eventually(lambda: clouds_in(select(root, query)[1]) == both), select(root, query)
        names, rows = await match(ca, root, query)
        assert names == ["cloud", "service", "amount"] and clouds_in(rows) == both, rows
        await close(cb)
        assert await eventually(lambda: clouds_in(select(root, query)[1]) == [alpha]), select(root, query)
        names, rows = await match(ca, root, query)
        assert rows == [(("iri", alpha), ("iri", alpha + "#store"), sparql_rows.literal("0.015", XSD + "decimal"))]
        assert (names, rows) == await asyncio.to_thread(select, root, query), "XMPP and HTTP differ"
        await close(ca)
        return names, rows

    names, rows = run(scenario())
    # ca has gone offline too: ask HTTP for both clouds without the ready condition to compare the transports.
    everything = query.replace("?cloud ic:ready true ;", "?cloud")
    assert everything != query
    reference = select(root, everything)
    assert clouds_in(reference[1]) == [alpha, bravo]
    for how in ("get", "post", "form"):
        for accept in (JSON_TYPE, XML_TYPE):
            assert select(root, everything, how, accept) == reference, (how, accept)
    assert until(lambda: select(root, query) == (names, [])), "nobody is ready any more"

    endpoint = f"http://127.0.0.1:{root.ports['http']}/sparql"
    for method, request_method in ((GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)):
        client = SPARQLWrapper(endpoint)
        client.setQuery(everything)
        client.setMethod(method)
        client.setRequestMethod(request_method)
        client.setReturnFormat(JSON)
        assert rows_from_json(client.queryAndConvert()) == reference, (method, request_method)
        client.setReturnFormat(XML)
        raw = client.query().response.read()
        assert rows_from_xml(ElementTree.fromstring(raw)) == reference, (method, request_method)
    client = SPARQLWrapper(endpoint)
    client.setQuery(PREFIXES + f"ASK {{ <{alpha}> ic:offers ?s }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


def test_a_new_description_replaces_the_old_one(root):
    jid = root.add_cloud("cap-replace", "pw")
    me = cloud_iri(root, "cap-replace")
    types = PREFIXES + f"SELECT ?type WHERE {{ <{me}> ic:offers ?s . ?s a ?type }}"

    async def scenario():
        client = await cap_client(root, jid, "pw")
        await publish(client, description(root, "cap-replace", kind="ObjectStorage"))
        assert await eventually(lambda: select(root, types)[1] == [(("iri", IC + "ObjectStorage"),)])
        await publish(client, description(root, "cap-replace", kind="BlockStorage"))
        assert await eventually(lambda: select(root, types)[1] == [(("iri", IC + "BlockStorage"),)]), \
            select(root, types)
        await close(client)

    run(scenario())


def test_bad_turtle_is_refused_naming_the_line_and_the_old_description_stays(root):
    jid = root.add_cloud("cap-badttl", "pw")
    me = cloud_iri(root, "cap-badttl")
    offers = PREFIXES + f"SELECT ?s WHERE {{ <{me}> ic:offers ?s }}"
    broken = f"@prefix ic: <{IC}> .\n\n<{me}> a ic:Cloud ;\n    ic:offers <{me}#x> ,, .\n"

    async def scenario():
        client = await cap_client(root, jid, "pw")
        await publish(client, description(root, "cap-badttl"))
        assert await eventually(lambda: select(root, offers)[1] == [(("iri", me + "#store"),)])
        try:
            await publish(client, broken)
            raise AssertionError("a description that is not Turtle was accepted")
        except IqError as error:
            assert error.condition == "bad-request", error.iq
            assert "line 4" in (error.text or ""), error.text
        names, rows = await match(client, root, offers)
        assert rows == [(("iri", me + "#store"),)], "the previous description must stay in force"
        await close(client)

    run(scenario())


def test_descriptions_may_not_assert_root_facts_or_speak_for_other_clouds(root):
    jid = root.add_cloud("cap-liar", "pw")
    root.add_cloud("cap-victim", "pw")
    me, victim = cloud_iri(root, "cap-liar"), cloud_iri(root, "cap-victim")
    ready = PREFIXES + f"ASK {{ <{me}> ic:ready true }}"
    lies = [
        f"<{me}> <{IC}ready> true .",
        f"<{me}> <{IC}trustLevel> 5 .",
        f"<{me}> <{IC}presence> \"available\" .",
        f"<{me}> <{IC}name> \"someone-else\" .",
        f"<{victim}> <{IC}offers> <{me}#store> .",
    ]

    async def scenario():
        client = await cap_client(root, jid, "pw", show="dnd")
        await publish(client, description(root, "cap-liar"))
        for lie in lies:
            try:
                await publish(client, description(root, "cap-liar") + lie + "\n")
                raise AssertionError(f"accepted: {lie}")
            except IqError as error:
                assert error.condition == "forbidden", (lie, error.iq)
                assert error.text, lie
        _, rows = await match(client, root, ready)
        assert rows == [("boolean", False)]
        _, rows = await match(client, root, f"SELECT ?p ?o WHERE {{ <{victim}> ?p ?o }}")
        assert ("iri", IC + "offers") not in [r[0] for r in rows]
        await close(client)
        status, _, body = put_capabilities(root, "cap-liar", description(root, "cap-liar") + lies[1])
        assert status == 400 and json_error(body)["error"] == "forbidden_assertion", (status, body)

    run(scenario())


def test_query_syntax_errors(root):
    jid = root.add_cloud("cap-syntax", "pw")
    bad = "SELECT ?s WHERE { ?s ?p "

    async def scenario():
        client = await cap_client(root, jid, "pw")
        error = await match_error(client, root, bad)
        assert error.condition == "bad-request" and error.text, error.iq
        error = await match_error(client, root, "")
        assert error.condition == "bad-request", error.iq
        await close(client)

    run(scenario())
    for how in ("get", "post", "form"):
        status, headers, body = sparql_http(root, bad, how)
        assert status == 400, (how, status, body)
        assert headers.get("content-type", "").startswith("application/json")
        assert json_error(body)["error"] == "query_syntax"
    status, _, body = request(root, "GET", "/sparql", headers={"Accept": JSON_TYPE})
    assert status == 400 and json_error(body)  # no query at all (SPARQL 1.1 Protocol §2.1.4)
    client = SPARQLWrapper(f"http://127.0.0.1:{root.ports['http']}/sparql")
    client.setQuery(bad)
    client.setReturnFormat(JSON)
    try:
        client.query()
        raise AssertionError("SPARQLWrapper got an answer to a malformed query")
    except QueryBadFormed:
        pass


def test_suspended_cloud_vanishes_from_every_graph(root):
    jid = root.add_cloud("cap-suspend", "pw")
    me = cloud_iri(root, "cap-suspend")
    anything = f"SELECT ?s ?p ?o WHERE {{ {{ <{me}> ?p ?o }} UNION {{ <{me}#store> ?p ?o }} UNION {{ ?s ?p <{me}> }} }}"

    async def scenario():
        client = await cap_client(root, jid, "pw")
        await publish(client, description(root, "cap-suspend"))
        assert await eventually(lambda: len(select(root, issue_query(root, "cap-suspend"))[1]) == 1)
        status, body = await asyncio.to_thread(root.http, "POST", "/v1/clouds/cap-suspend/suspend")
        assert status == 200, body
        assert await eventually(lambda: select(root, anything)[1] == []), select(root, anything)
        client.disconnect(wait=0)

    run(scenario())
    assert select(root, anything)[1] == []
    assert root.http("POST", "/v1/clouds/cap-suspend/reinstate")[0] == 200


def test_admin_api_sets_and_reads_a_description(root):
    root.add_cloud("cap-admin", "pw")
    me = cloud_iri(root, "cap-admin")
    text = description(root, "cap-admin", kind="BlockStorage", region="FRPAR")
    path = "/v1/clouds/cap-admin/capabilities"

    assert request(root, "GET", path)[0] == 404  # registered, nothing published yet
    assert put_capabilities(root, "cap-admin", text, auth=False)[0] == 401
    status, _, body = put_capabilities(root, "cap-admin", text)
    assert status == 201, (status, body)
    status, headers, body = request(root, "GET", path)
    assert status == 200 and headers.get("content-type", "").startswith("text/turtle"), (status, headers)
    stored = rdflib.Graph().parse(data=body.decode(), format="turtle")
    expected = rdflib.Graph().parse(data=text, format="turtle")
    assert rdflib.compare.isomorphic(stored, expected), body.decode()
    _, rows = select(root, PREFIXES + f"SELECT ?type WHERE {{ <{me}> ic:offers ?s . ?s a ?type }}")
    assert rows == [(("iri", IC + "BlockStorage"),)]

    changed = description(root, "cap-admin", kind="FileStorage", region="FRPAR")
    assert put_capabilities(root, "cap-admin", changed)[0] == 204
    _, rows = select(root, PREFIXES + f"SELECT ?type WHERE {{ <{me}> ic:offers ?s . ?s a ?type }}")
    assert rows == [(("iri", IC + "FileStorage"),)]

    broken = f"@prefix ic: <{IC}> .\n<{me}> a ic:Cloud ;\n    ic:offers .\n"
    status, headers, body = put_capabilities(root, "cap-admin", broken)
    assert status == 400 and json_error(body)["error"] == "invalid_description", (status, body)
    assert "line 3" in json_error(body)["message"], body
    _, rows = select(root, PREFIXES + f"SELECT ?type WHERE {{ <{me}> ic:offers ?s . ?s a ?type }}")
    assert rows == [(("iri", IC + "FileStorage"),)], "the previous description stays in force"

    status, _, body = put_capabilities(root, "nobody-here", text)
    assert status == 404 and json_error(body), (status, body)
    assert request(root, "GET", "/v1/clouds/nobody-here/capabilities")[0] == 404


def test_result_cap_is_a_clear_error():
    with custom_root("--sparql-max-rows", "5") as capped:
        jid = capped.add_cloud("cap-capped", "pw")
        everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        status, headers, body = sparql_http(capped, everything)
        assert status == 400, (status, body[:300])
        error = json_error(body)
        assert error["error"] == "result_too_large" and "5" in error["message"], error
        _, rows = select(capped, everything + " LIMIT 5")
        assert len(rows) == 5

        async def scenario():
            client = await cap_client(capped, jid, "pw")
            error = await match_error(client, capped, everything)
            assert error.condition == "not-acceptable" and "5" in (error.text or ""), error.iq
            _, rows = await match(client, capped, everything + " LIMIT 5")
            assert len(rows) == 5
            await close(client)

        run(scenario())


def test_query_timeout_is_a_clear_error():
    with custom_root("--sparql-timeout-ms", "1000") as slow:
        jid = slow.add_cloud("cap-slow", "pw")
        me = cloud_iri(slow, "cap-slow")
        many = "\n".join(f"<{me}#s{i}> a <{IC}ObjectStorage> ; <{IC}replicas> {i} ." for i in range(100))
        assert put_capabilities(slow, "cap-slow", f"<{me}> a <{IC}Cloud> .\n" + many)[0] == 201
        # ≥ 200 triples, four-way cross product: ≥ 1.6e9 solutions to count, far beyond one second.
        heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, _, body = sparql_http(slow, heavy, timeout=60)
        assert status == 503, (status, body[:300])
        assert json_error(body)["error"] == "query_timeout"
        _, rows = select(slow, f"ASK {{ <{me}> ?p ?o }}")
        assert rows == [("boolean", True)], "the server answers again after a timeout"

        async def scenario():
            client = await cap_client(slow, jid, "pw")
            error = await match_error(client, slow, heavy)
            assert error.condition == "resource-constraint" and error.text, error.iq
            await close(client)

        run(scenario())
