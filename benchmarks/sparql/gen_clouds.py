#!/usr/bin/env python3
"""Deterministic capability data for the SPARQL benchmark and the differential test (docs/capabilities.md).

For N clouds `cloud00000@DOMAIN` … it writes one N-Quads file holding, like the root's store would:
  - each cloud's own description (~25 triples: label, provider, 1–3 services typed over the ontology's service
    hierarchy with region, price [amount currency unit], SLA figures, capacity, certifications, dateTimes) in the
    named graph <xmpp:NAME@DOMAIN>;
  - live presence (`a ic:Cloud ; ic:presence ; ic:ready`, ~70 % ready) in <urn:intercloud:presence>;
  - registry facts (`a ic:Cloud ; ic:name ; ic:trustLevel ; ic:status ; ic:registeredAt ; ic:endpoint`) in
    <urn:intercloud:registry>;
  - the ontology (schemas/intercloud.ttl, parsed with rdflib) in <https://w3id.org/intercloud/ns>.
With --turtle-dir it also writes each description as Turtle (NAME.ttl), ready to publish over PEP or
`PUT /v1/clouds/NAME/capabilities`.

Same N, seed and domain → byte-identical output (random.Random(seed), no clock). Standard library only, except
rdflib to read the ontology (skip it with --no-ontology).

    python3 gen_clouds.py --n 1000 --out data-1000.nq [--seed 42] [--domain bench.test] [--turtle-dir DIR]
"""
import argparse
import os
import pathlib
import random
import sys

IC = "https://w3id.org/intercloud/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY_GRAPH = "https://w3id.org/intercloud/ns"
PRESENCE_GRAPH = "urn:intercloud:presence"
REGISTRY_GRAPH = "urn:intercloud:registry"
ROOT = pathlib.Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "schemas" / "intercloud.ttl"

# Region (UN/LOCODE individual in the ontology) → country; weights favour the EU so EU queries have many answers.
REGIONS = {
    "ATVIE": "AT", "BEBRU": "BE", "DEFRA": "DE", "DEBER": "DE", "DEMUC": "DE", "DKCPH": "DK", "ESMAD": "ES",
    "FIHEL": "FI", "FRPAR": "FR", "FRMRS": "FR", "IEDUB": "IE", "ITMIL": "IT", "NLAMS": "NL", "PLWAW": "PL",
    "PTLIS": "PT", "SESTO": "SE", "NOOSL": "NO", "CHZRH": "CH", "CHGVA": "CH", "GBLON": "GB", "USNYC": "US",
    "USSFO": "US", "USCHI": "US", "USDAL": "US", "CAMTR": "CA", "BRSAO": "BR", "JPTYO": "JP", "KRSEL": "KR",
    "SGSIN": "SG", "INBOM": "IN", "AUSYD": "AU", "ZAJNB": "ZA",
}
REGION_WEIGHTS = {r: (4 if r[:2] in {"DE", "FR", "NL", "IE", "SE", "FI", "PL", "IT", "ES", "AT"} else 2)
                  for r in REGIONS}
CURRENCY = {"CH": "CHF", "GB": "GBP", "US": "USD", "CA": "USD", "BR": "USD", "JP": "USD", "KR": "USD", "SG": "USD",
            "IN": "USD", "AU": "USD", "ZA": "USD", "NO": "EUR", "DK": "EUR", "SE": "EUR", "PL": "EUR"}

# Service class → (weight, price unit, price range, extras). Extras: "storage" (replicas, durability), "db"
# (replicas), "compute" (capacity in vCPU), "gpu" (capacity in GPU), "net" (bandwidth).
SERVICES = {
    "ObjectStorage": (14, "GBMonth", (0.004, 0.04), "storage"),
    "ArchiveStorage": (4, "GBMonth", (0.0008, 0.006), "storage"),
    "BlockStorage": (7, "GBMonth", (0.03, 0.14), "storage"),
    "FileStorage": (4, "GBMonth", (0.05, 0.32), "storage"),
    "BackupService": (3, "GBMonth", (0.01, 0.06), "storage"),
    "VirtualMachine": (14, "InstanceHour", (0.008, 0.6), "compute"),
    "GPUCompute": (4, "GPUHour", (0.6, 4.2), "gpu"),
    "BareMetal": (3, "InstanceHour", (0.25, 3.5), "compute"),
    "ContainerService": (5, "VCPUHour", (0.015, 0.07), "compute"),
    "ServerlessFunctions": (3, "MillionRequests", (0.1, 0.45), None),
    "RelationalDatabase": (6, "InstanceHour", (0.02, 1.2), "db"),
    "KeyValueStore": (3, "InstanceHour", (0.015, 0.6), "db"),
    "DocumentDatabase": (2, "InstanceHour", (0.03, 0.9), "db"),
    "GraphDatabase": (1, "InstanceHour", (0.05, 1.5), "db"),
    "TimeSeriesDatabase": (1, "InstanceHour", (0.04, 0.8), "db"),
    "LoadBalancer": (3, "InstanceHour", (0.01, 0.04), "net"),
    "VPN": (2, "InstanceHour", (0.02, 0.09), "net"),
    "Interconnect": (1, "Month", (90, 2400), "net"),
    "DNS": (2, "MillionRequests", (0.2, 0.6), None),
    "CDN": (4, "GBTransfer", (0.004, 0.09), "net"),
    "Messaging": (2, "MillionRequests", (0.2, 0.8), None),
    "Analytics": (2, "InstanceHour", (0.1, 2.5), None),
    "MachineLearning": (2, "GPUHour", (0.9, 5.5), "gpu"),
}
CERTIFICATIONS = ["ISO27001", "ISO27017", "ISO27018", "ISO9001", "SOC1", "SOC2", "C5", "SecNumCloud", "CSASTAR",
                  "PCIDSS", "HIPAA", "FedRAMP"]
CERT_WEIGHTS = [10, 5, 4, 3, 2, 6, 2, 1, 3, 2, 1, 1]
APIS = {"storage": ["S3", "Swift", "NFS"], "compute": ["OpenStack", "Kubernetes", "EC2"], "gpu": ["Kubernetes"],
        "db": ["PostgreSQL", "MySQL", "Redis", "MongoDB"], "net": ["BGP", "IPsec"], None: ["HTTP"]}
PREFIXES = ["Nordic", "Alpine", "Atlantic", "Baltic", "Iberian", "Danube", "Rhine", "Celtic", "Adriatic", "Aegean",
            "Boreal", "Pacific", "Sierra", "Prairie", "Harbor", "Summit", "Meridian", "Aurora", "Granite", "Cobalt"]
NOUNS = ["Cloud", "Compute", "Data", "Hosting", "Networks", "Storage", "Systems", "Grid", "Works", "Stack"]
LEGAL = {"DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS", "NL": "B.V.", "BE": "SA", "SE": "AB", "FI": "Oy",
         "DK": "ApS", "NO": "AS", "ES": "S.L.", "PT": "Lda", "IT": "S.r.l.", "PL": "sp. z o.o.", "IE": "Ltd",
         "GB": "Ltd", "US": "Inc.", "CA": "Inc.", "BR": "Ltda", "JP": "K.K.", "KR": "Co., Ltd.", "SG": "Pte. Ltd.",
         "IN": "Pvt. Ltd.", "AU": "Pty Ltd", "ZA": "(Pty) Ltd"}
AVAILABILITY = ["99.5", "99.9", "99.95", "99.99", "99.995"]
DURABILITY = ["99.99", "99.999", "99.9999", "99.999999999"]
# Seconds since 2026-01-01T00:00:00Z of the window the dateTimes fall into.
YEAR = 365 * 86400


def iri(value):
    return f"<{value}>"


def ic(local):
    return f"<{IC}{local}>"


def lit(lexical, datatype=None, lang=None):
    escaped = lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{XSD}{datatype}>'
    return f'"{escaped}"'


def decimal(value, places):
    """Canonical xsd:decimal lexical form (no trailing zeros, never integral: "1.5", not "1.50" or "1")."""
    text = f"{value:.{places}f}".rstrip("0")
    if text.endswith("."):
        text += "5"  # never integral: canonical forms of integral decimals differ between engines ("1" / "1.0")
    return text


def date_time(seconds, rng):
    """An xsd:dateTime lexical form in 2026–2028; one in ten carries a +02:00 offset instead of Z."""
    days, rest = divmod(int(seconds), 86400)
    year, month, day = civil_from_days(days + 20454)  # 20454 = days from 1970-01-01 to 2026-01-01
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    if rng.random() < 0.1:
        shifted = (hour + 2) % 24  # same instant written in +02:00 (day wrap avoided by keeping hour < 22)
        if hour < 22:
            return f"{year:04d}-{month:02d}-{day:02d}T{shifted:02d}:{minute:02d}:{second:02d}+02:00"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def civil_from_days(z):
    """Proleptic Gregorian date of day z since 1970-01-01 (H. Hinnant's algorithm)."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return y + (m <= 2), m, d


def cloud_name(i):
    return f"cloud{i:05d}"


def cloud_iri(i, domain):
    return f"xmpp:{cloud_name(i)}@{domain}"


def description(i, domain, rng):
    """The triples (s, p, o as N-Triples terms) of cloud i's own description."""
    me = cloud_iri(i, domain)
    c = iri(me)
    out = []
    add = out.append
    regions = list(REGIONS)
    home = rng.choices(regions, weights=[REGION_WEIGHTS[r] for r in regions])[0]
    country = REGIONS[home]
    label = f"{rng.choice(PREFIXES)} {rng.choice(NOUNS)} {i}"
    add((c, iri(RDF_TYPE), ic("Cloud")))
    add((c, iri(RDFS_LABEL), lit(label)))
    operator = iri(me + "#operator")
    add((c, ic("operatedBy"), operator))
    updated = rng.uniform(0, YEAR)  # during 2026
    add((c, ic("updated"), lit(date_time(updated, rng), "dateTime")))
    add((c, ic("validUntil"), lit(date_time(updated + rng.uniform(30, 720) * 86400, rng), "dateTime")))
    for cert in sorted(set(rng.choices(CERTIFICATIONS, weights=CERT_WEIGHTS, k=rng.choice([0, 0, 1, 1, 2, 3])))):
        add((c, ic("certification"), ic(cert)))
    provider_country = country if rng.random() < 0.7 else REGIONS[rng.choice(regions)]
    add((operator, iri(RDF_TYPE), ic("Provider")))
    add((operator, iri(RDFS_LABEL), lit(f"{label.rsplit(' ', 1)[0]} {LEGAL[provider_country]}")))
    add((operator, ic("country"), ic(provider_country)))
    kinds = list(SERVICES)
    count = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
    for n, kind in enumerate(rng.choices(kinds, weights=[SERVICES[k][0] for k in kinds], k=count)):
        _, unit, (low, high), extra = SERVICES[kind]
        s = iri(f"{me}#s{n}")
        region = home if n == 0 or rng.random() < 0.5 else rng.choices(
            regions, weights=[REGION_WEIGHTS[r] for r in regions])[0]
        add((c, ic("offers"), s))
        add((s, iri(RDF_TYPE), ic(kind)))
        add((s, ic("region"), ic(region)))
        price = f"_:c{i:05d}s{n}p"
        add((s, ic("price"), price))
        places = 4 if high < 1 else 2
        add((price, ic("amount"), lit(decimal(rng.uniform(low, high), places), "decimal")))
        add((price, ic("currency"), lit(CURRENCY.get(REGIONS[region], "EUR"))))
        add((price, ic("unit"), ic(unit)))
        add((s, ic("availability"), lit(rng.choice(AVAILABILITY), "decimal")))
        if rng.random() < 0.3:
            add((s, ic("api"), lit(rng.choice(APIS[extra if extra in APIS else None]))))
        if extra == "storage":
            add((s, ic("replicas"), lit(str(rng.choice([1, 2, 2, 3, 3, 3, 4, 5])), "integer")))
            add((s, ic("durability"), lit(rng.choice(DURABILITY), "decimal")))
        elif extra == "db":
            add((s, ic("replicas"), lit(str(rng.choice([1, 2, 3])), "integer")))
        elif extra in ("compute", "gpu", "net") and rng.random() < 0.5:
            q = f"_:c{i:05d}s{n}q"
            prop, qunit, amount = {"compute": ("capacity", "VCPU", rng.choice([64, 256, 1024, 4096, 16384])),
                                   "gpu": ("capacity", "GPU", rng.choice([8, 16, 64, 256])),
                                   "net": ("bandwidth", "Gbps", rng.choice([1, 10, 40, 100]))}[extra]
            add((s, ic(prop), q))
            add((q, ic("amount"), lit(str(amount), "integer")))
            add((q, ic("unit"), ic(qunit)))
    return out


def presence(i, domain, rng, ready_fraction):
    c = iri(cloud_iri(i, domain))
    if rng.random() < ready_fraction:
        show = rng.choice(["available"] * 9 + ["chat"])
    else:
        show = rng.choice(["unavailable"] * 6 + ["away", "away", "xa", "dnd"])
    ready = "true" if show in ("available", "chat") else "false"
    return [(c, iri(RDF_TYPE), ic("Cloud")), (c, ic("presence"), lit(show)), (c, ic("ready"), lit(ready, "boolean"))]


def registry(i, domain, rng):
    c = iri(cloud_iri(i, domain))
    out = [(c, iri(RDF_TYPE), ic("Cloud")), (c, ic("name"), lit(cloud_name(i))),
           (c, ic("trustLevel"), lit(str(rng.choices(range(6), weights=[5, 10, 25, 30, 20, 10])[0]), "integer")),
           (c, ic("status"), lit("active")),
           (c, ic("registeredAt"), lit(date_time(rng.uniform(0, YEAR), rng), "dateTime"))]
    if rng.random() < 0.5:
        out.append((c, ic("endpoint"), iri(f"https://{cloud_name(i)}.{domain}/api")))
    return out


def ontology_triples(path=ONTOLOGY):
    """The ontology's triples as N-Triples terms, sorted (deterministic)."""
    import rdflib  # only here: the rest of the generator is standard library
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return sorted((s.n3(), p.n3(), o.n3()) for s, p, o in graph)


def clouds(n, domain="bench.test", seed=42, ready_fraction=0.7):
    """Yields (i, description triples, presence triples, registry triples) for clouds 0..n-1. Each cloud has its own
    random stream derived from (seed, i), so cloud i is the same whatever n is."""
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        yield i, description(i, domain, rng), presence(i, domain, rng, ready_fraction), registry(i, domain, rng)


PREFIX_MAP = [("ic:", IC), ("xsd:", XSD), ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#")]


def turtle_term(term):
    if term.startswith("<") and term.endswith(">"):
        value = term[1:-1]
        if value == RDF_TYPE:
            return "a"
        for prefix, ns in PREFIX_MAP:
            local = value[len(ns):]
            if value.startswith(ns) and local.replace("_", "").isalnum():
                return prefix + local
        return term
    if term.startswith('"') and term.endswith(f"^^<{XSD}integer>"):
        return term[1:term.index('"', 1)]  # Turtle integer shorthand
    if "^^<" in term:
        lexical, datatype = term.rsplit("^^", 1)
        return lexical + "^^" + turtle_term(datatype)
    return term


def to_turtle(triples):
    """A Turtle document for one description: subjects in order, blank-node objects written inline as [ … ]."""
    by_subject = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    lines = ["@prefix ic: <%s> ." % IC, "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix xsd: <%s> ." % XSD, ""]

    def inline(node):
        return "[ " + " ; ".join(f"{turtle_term(p)} {turtle_term(o)}" for p, o in by_subject[node]) + " ]"

    for s, pairs in by_subject.items():
        if s.startswith("_:"):
            continue
        body = [f"    {turtle_term(p)} {inline(o) if o.startswith('_:') else turtle_term(o)}" for p, o in pairs]
        lines.append(turtle_term(s) + "\n" + " ;\n".join(body) + " .")
        lines.append("")
    return "\n".join(lines)


def nquad(triple, graph):
    s, p, o = triple
    return f"{s} {p} {o} <{graph}> .\n" if graph else f"{s} {p} {o} .\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of clouds")
    parser.add_argument("--out", help="N-Quads file to write (default data-N.nq)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--domain", default="bench.test")
    parser.add_argument("--ready-fraction", type=float, default=0.7)
    parser.add_argument("--turtle-dir", help="also write each description as DIR/NAME.ttl")
    parser.add_argument("--no-ontology", action="store_true", help="leave the ontology graph out")
    parser.add_argument("--ontology", default=str(ONTOLOGY))
    args = parser.parse_args(argv)
    out = args.out or f"data-{args.n}.nq"
    if args.turtle_dir:
        os.makedirs(args.turtle_dir, exist_ok=True)
    counts = {"description": 0, "presence": 0, "registry": 0, "ontology": 0}
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        if not args.no_ontology:
            for t in ontology_triples(args.ontology):
                f.write(nquad(t, ONTOLOGY_GRAPH))
                counts["ontology"] += 1
        for i, desc, pres, reg in clouds(args.n, args.domain, args.seed, args.ready_fraction):
            graph = cloud_iri(i, args.domain)
            for t in desc:
                f.write(nquad(t, graph))
            for t in pres:
                f.write(nquad(t, PRESENCE_GRAPH))
            for t in reg:
                f.write(nquad(t, REGISTRY_GRAPH))
            counts["description"] += len(desc)
            counts["presence"] += len(pres)
            counts["registry"] += len(reg)
            if args.turtle_dir:
                with open(os.path.join(args.turtle_dir, cloud_name(i) + ".ttl"), "w", encoding="utf-8") as t:
                    t.write(to_turtle(desc))
    os.replace(tmp, out)
    total = sum(counts.values())
    print(f"{out}: {args.n} clouds, {total} quads ({counts['description']} in descriptions = "
          f"{counts['description'] / max(args.n, 1):.1f}/cloud, {counts['presence']} presence, "
          f"{counts['registry']} registry, {counts['ontology']} ontology)", file=sys.stderr)


if __name__ == "__main__":
    main()
